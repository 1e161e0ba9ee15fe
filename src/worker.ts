// The job worker alone: the same as `ROLE=worker npm start`.
process.env.ROLE = 'worker';
await import('./server.js');
