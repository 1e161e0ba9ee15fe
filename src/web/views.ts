// The views' ejs, run without `with` and included without copies (bench/pages, --cpu-prof).
// - ejs runs a template `with (locals)`: every name in it, `__append` of each piece of
//   text and the escape of each value included, is looked up on the locals object first,
//   about 0.15 µs each, and a page makes thousands. Here a template's locals are declared
//   plainly (`let { tenant, t, … } = frame`), as row partials are (row-partial.ts), so a
//   name is a variable, found at once. A template is compiled once per set of locals'
//   names it is given (a page's and its includes' sets are few and fixed).
// - ejs's include copies every local of the including view into a fresh object, twice,
//   and its options once, at each include (a ticket page's fifty-odd locals, once per
//   message). Here a template is given frames: the page's data as it was given, then each
//   include's own values on top; a name is declared from the last frame that has it, the
//   include's value winning as in ejs's copy. Nothing is copied, and a template can no
//   longer write to its data (its names are its own variables): what an includer assigns
//   never reaches what it includes, as with ejs's copies. A template that reads `locals`
//   (locals.notice) gets every value merged into an object without prototype, as ejs's
//   copy was: a polluted Object.prototype gives a view no local.
// A template whose source cannot take its locals so (it declares a `var` or a function of
// a local's name) is compiled by ejs, with its copies, as before.
// Templates are compiled once per process when the view cache is on (production), and
// read and compiled at every use otherwise, as ejs's renderFile did.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { escapeHtml } from '../lib/html.js';

type Data = Record<string, unknown>;
type Include = (name: string, includeData?: Data) => string;
type Rethrow = (error: Error, source: string, filename: string, line: number, escape: (value: unknown) => string) => never;
type Compiled = (frames: readonly Data[], escapeFn: (value: unknown) => string, include: Include, rethrow: Rethrow, merged: typeof merge) => string;
/** A template for one set of locals' names, or ejs's own (with `with`) for a template that cannot be run without it. */
type Template = { plain: Compiled } | { ejs: (data: Data) => string };

/** The app setting that holds the app's Views (app.ts), for the replies that render through them (reply.ts). */
export const VIEWS_SETTING = 'sportello views';

export interface Views {
  /** `file` (an absolute path under the views) rendered with `data`'s own values. */
  render(file: string, data: Data): string;
  /**
   * The view `name` ('tickets/index') rendered with the values of `frames`, a later
   * frame's value of a name winning (the app's locals, the response's, the page's): what
   * express's app.render gives the engine, without merging them into one object first.
   */
  view(name: string, frames: readonly Data[]): string;
}

/** The names a template's own code already uses: never declared as locals. */
const OWN_NAMES = new Set(['undefined', 'NaN', 'Infinity', 'locals', 'escapeFn', 'include', 'rethrow', '__output', '__append', '__line', '__lines', '__filename', '__locals', '__frames', '__merged']);

/**
 * The names a template is given, frame by frame: the page's values, then each include's
 * own on top (the later frame's value of a name wins, as in ejs's copy). Shapes are made
 * once per set of names and kept, with the templates compiled for them.
 */
interface Shape { frames: readonly (readonly string[])[]; includes: Map<string, Shape>; templates: Map<string, Template> }

/** Every value of the frames in one object without prototype, as ejs's copy was: a view's `locals`. */
function merge(frames: readonly Data[]): Data {
  const all = Object.create(null) as Data;
  for (const frame of frames) for (const key of Object.keys(frame)) all[key] = frame[key];
  return all;
}
const IDENTIFIER = /^[a-zA-Z_$][0-9a-zA-Z_$]*$/;

/** As ejs's rethrow: the error names the template's file and line, with the lines around it (views compiled in development). */
function rethrow(error: Error & { path?: string }, source: string, filename: string, line: number, escape: (value: unknown) => string): never {
  const lines = source.split('\n');
  const start = Math.max(line - 3, 0);
  const end = Math.min(lines.length, line + 3);
  const name = escape(filename);
  const context = lines.slice(start, end).map((text, i) => `${i + start + 1 === line ? ' >> ' : '    '}${i + start + 1}| ${text}`).join('\n');
  error.path = name;
  error.message = `${name || 'ejs'}:${line}\n${context}\n\n${error.message}`;
  throw error;
}

export function views(viewsDir: string, cache: () => boolean): Views {
  const shapes = new Map<string, Shape>();
  const resolved = new Map<string, string>();

  const compile = (file: string, shape: Shape): Template => {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const debug = !cache();
    const options = { filename: file, root: viewsDir, views: [viewsDir], compileDebug: debug, escape: escapeHtml };
    const template = new ejs.Template(text, options as ejs.Options) as unknown as { generateSource(): void; source: string };
    template.generateSource();
    // Each name from the last frame that has it.
    const from = new Map<string, number>();
    shape.frames.forEach((names, i) => {
      for (const name of names) if (IDENTIFIER.test(name) && !OWN_NAMES.has(name)) from.set(name, i);
    });
    // `locals` (locals.notice) only for a template whose code names it (its comments are not in the source).
    const usesLocals = /\blocals\b/.test(template.source);
    for (;;) {
      const declarations = shape.frames.map((_names, i) => [...from].filter(([, frame]) => frame === i).map(([name]) => name))
        .map((names, i) => (names.length ? `  let { ${names.join(', ')} } = __frames[${i}];\n` : '')).join('');
      let body = '  let __output = "";\n  function __append(s) { if (s !== undefined && s !== null) __output += s }\n'
        + (usesLocals ? '  const locals = __merged(__frames);\n' : '') + declarations
        + `${template.source}\n  return __output;\n`;
      // Development: the error says where in the template it happened, as ejs's compileDebug does.
      if (debug) body = `let __line = 1, __lines = ${JSON.stringify(text)}, __filename = ${JSON.stringify(file)};\ntry {\n${body}} catch (e) {\n  rethrow(e, __lines, __filename, __line, escapeFn);\n}\n`;
      try {
        return { plain: new Function('__frames, escapeFn, include, rethrow, __merged', body) as Compiled };
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        // The template declares a local's name itself: `const selectable = !!locals.selectable`.
        // Under ejs's `with` its own const or let hides the local; so here it is not declared
        // as a local. A `var` or a function of a local's name reads the local until assigned
        // under `with`: such a template is compiled by ejs, as before.
        const again = /Identifier '([\w$]+)' has already been declared/.exec(error.message)?.[1];
        const name = again?.replace(/\$/g, '\\$');
        if (again && from.has(again) && new RegExp(`\\b(?:const|let|class)\\s+${name}\\b`).test(text) && !new RegExp(`\\b(?:var|function)\\s+${name}\\b`).test(text)) {
          from.delete(again);
          continue;
        }
        // Its includes are ejs's too, kept in ejs's cache when views are cached, as renderFile kept them.
        return { ejs: ejs.compile(text, { ...options, cache: !debug } as ejs.Options) as unknown as (data: Data) => string };
      }
    }
  };

  const template = (file: string, shape: Shape): Template => {
    if (!cache()) return compile(file, shape);
    let found = shape.templates.get(file);
    if (!found) shape.templates.set(file, (found = compile(file, shape)));
    return found;
  };

  /** Where `name` (as a view writes it in include()) is, from `from`: as ejs resolves it. */
  const includePath = (name: string, from: string): string => {
    const key = name.startsWith('/') ? name : `${from}\n${name}`;
    let file = resolved.get(key);
    if (file === undefined) {
      const withExtension = (p: string) => (path.extname(p) ? p : `${p}.ejs`);
      if (name.startsWith('/')) file = withExtension(path.resolve(viewsDir, name.replace(/^\/*/, '')));
      else {
        const relative = withExtension(path.resolve(path.dirname(from), name));
        file = existsSync(relative) ? relative : withExtension(path.resolve(viewsDir, name));
      }
      if (!file.startsWith(viewsDir + path.sep)) throw new Error(`No such view: ${name}`);
      if (cache()) resolved.set(key, file);
    }
    return file;
  };

  const run = (file: string, frames: readonly Data[], shape: Shape): string => {
    const found = template(file, shape);
    if ('ejs' in found) return found.ejs(merge(frames));
    const include: Include = (name, includeData) => {
      if (!includeData) return run(includePath(name, file), frames, shape);
      // The include's own values are a frame on top of its includer's (a template never writes to its frames).
      const names = Object.keys(includeData);
      const key = JSON.stringify(names); // unambiguous whatever the names hold
      let child = shape.includes.get(key);
      if (!child) {
        if (shape.includes.size > 1000) shape.includes.clear(); // a bound: a view's includes are few and fixed
        shape.includes.set(key, (child = { frames: [...shape.frames, names], includes: new Map(), templates: new Map() }));
      }
      return run(includePath(name, file), [...frames, includeData], child);
    };
    return found.plain(frames, escapeHtml, include, rethrow, merge);
  };

  const start = (file: string, frames: readonly Data[]): string => {
    const names = frames.map((frame) => Object.keys(frame));
    const key = JSON.stringify(names); // unambiguous whatever the names hold
    let shape = shapes.get(key);
    if (!shape) {
      if (shapes.size > 10_000) shapes.clear(); // a bound: a page's sets of names are few and fixed
      shapes.set(key, (shape = { frames: names, includes: new Map(), templates: new Map() }));
    }
    return run(file, frames, shape);
  };

  /** A view's file, as express finds it: `name.ejs`, else `name/index.ejs`, under the views. */
  const viewPath = (name: string): string => {
    let file = resolved.get(`view:${name}`);
    if (file === undefined) {
      const direct = path.resolve(viewsDir, `${name}.ejs`);
      file = existsSync(direct) ? direct : path.resolve(viewsDir, name, 'index.ejs');
      if (!file.startsWith(viewsDir + path.sep) || !existsSync(file)) throw new Error(`Failed to lookup view "${name}" in views directory "${viewsDir}"`);
      if (cache()) resolved.set(`view:${name}`, file);
    }
    return file;
  };

  return {
    render: (file, data) => start(file, [data]),
    view: (name, frames) => start(viewPath(name), frames),
  };
}
