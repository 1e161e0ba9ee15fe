# Sportello: a multi-stage build. Stage 1 compiles TypeScript with tsc (npm run build → dist/);
# stage 2 runs the compiled server on Node 24 LTS as the unprivileged user `node`.
#   docker build -t sportello .
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://… -e APP_SECRET=… -e APP_DOMAIN=helpdesk.example.com \
#     -e SMTP_URL=smtp://… sportello
#   (clients connect directly here: TRUST_PROXY stays 0; behind one reverse proxy add -e TRUST_PROXY=1)
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
# Code and dependencies belong to root and are read-only for the app; only DATA_DIR is writable.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY views ./views
COPY public ./public
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# ROLE=web or ROLE=worker runs one half; the default (all) runs both in one process.
# The node flags are package.json's start:prod's (test/start-flags.test.ts holds them equal): a heap
# let grow by half of what the last full collection left live keeps the process's RSS under 300 MB
# under load (README, Production).
CMD ["node", "--heap-growing-percent=50", "dist/src/server.js"]
