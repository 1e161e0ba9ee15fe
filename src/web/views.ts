// The views' ejs, run without `with` and included without copies (bench/pages, --cpu-prof).
// - ejs runs a template `with (locals)`: every name in it, `__append` of each piece of
//   text and the escape of each value included, is looked up on the locals object first,
//   about 0.15 µs each, and a page makes thousands. Here a template's locals are declared
//   plainly (`let { tenant, t, … } = locals`), as row partials are (row-partial.ts), so a
//   name is a variable, found at once. A template is compiled once per set of locals'
//   names it is given (a page's and its includes' sets are few and fixed).
// - ejs's include copies every local of the including view into a fresh object, twice,
//   and its options once, at each include: here an include's data is an object whose
//   prototype is its includer's data, with the include's own values on it — the same
//   names with the same values. A template can no longer write to its data (its names are
//   its own variables), so what an includer assigns never reaches what it includes, as
//   with ejs's copies.
// The top object has no prototype, as ejs's copies have none: a polluted Object.prototype
// gives a view no local. A template whose source cannot take its locals so (it declares a
// variable of a local's name) is compiled by ejs as before and includes as before.
// Templates are compiled once per process when the view cache is on (production), and
// read and compiled at every use otherwise, as ejs's renderFile did.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { escapeHtml } from '../lib/html.js';

type Data = Record<string, unknown>;
type Include = (name: string, includeData?: Data) => string;
type Rethrow = (error: Error, source: string, filename: string, line: number, escape: (value: unknown) => string) => never;
type Compiled = (locals: Data, escapeFn: (value: unknown) => string, include: Include, rethrow: Rethrow) => string;
/** A template for one set of locals' names, or ejs's own (with `with`) for a template that cannot be run without it. */
type Template = { plain: Compiled } | { ejs: (data: Data) => string };

export interface Views {
  /** `file` (an absolute path under the views) rendered with `data` (its own values, copied once into an object without prototype). */
  render(file: string, data: Data): string;
}

/** The names a template's own code already uses: never declared as locals. */
const OWN_NAMES = new Set(['locals', 'escapeFn', 'include', 'rethrow', '__output', '__append', '__line', '__lines', '__filename', '__locals']);
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
  const compiled = new Map<string, Template>();
  const resolved = new Map<string, string>();

  const compile = (file: string, names: readonly string[]): Template => {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    const debug = !cache();
    const options = { filename: file, root: viewsDir, views: [viewsDir], compileDebug: debug, escape: escapeHtml };
    const template = new ejs.Template(text, options as ejs.Options) as unknown as { generateSource(): void; source: string };
    template.generateSource();
    let declared = names.filter((name) => IDENTIFIER.test(name) && !OWN_NAMES.has(name));
    for (;;) {
      let body = '  let __output = "";\n  function __append(s) { if (s !== undefined && s !== null) __output += s }\n'
        + (declared.length ? `  let { ${declared.join(', ')} } = locals;\n` : '')
        + `${template.source}\n  return __output;\n`;
      // Development: the error says where in the template it happened, as ejs's compileDebug does.
      if (debug) body = `let __line = 1, __lines = ${JSON.stringify(text)}, __filename = ${JSON.stringify(file)};\ntry {\n${body}} catch (e) {\n  rethrow(e, __lines, __filename, __line, escapeFn);\n}\n`;
      try {
        return { plain: new Function('locals, escapeFn, include, rethrow', body) as Compiled };
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        // The template declares a local's name itself: `const selectable = !!locals.selectable`.
        // Under ejs's `with` its own const or let hides the local; so here it is not declared
        // as a local. A `var` or a function of a local's name reads the local until assigned
        // under `with`: such a template is compiled by ejs, as before.
        const again = /Identifier '([\w$]+)' has already been declared/.exec(error.message)?.[1];
        if (again && declared.includes(again) && new RegExp(`\\b(?:const|let|class)\\s+${again.replace(/\$/g, '\\$')}\\b`).test(text)
          && !new RegExp(`\\b(?:var|function)\\s+${again.replace(/\$/g, '\\$')}\\b`).test(text)) {
          declared = declared.filter((name) => name !== again);
          continue;
        }
        return { ejs: ejs.compile(text, options as ejs.Options) as unknown as (data: Data) => string };
      }
    }
  };

  const template = (file: string, names: readonly string[], namesKey: string): Template => {
    if (!cache()) return compile(file, names);
    const key = `${file}\n${namesKey}`;
    let found = compiled.get(key);
    if (!found) {
      if (compiled.size > 10_000) compiled.clear(); // a bound: a page's sets of names are few and fixed
      compiled.set(key, (found = compile(file, names)));
    }
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

  const run = (file: string, data: Data, names: readonly string[], namesKey: string): string => {
    const found = template(file, names, namesKey);
    if ('ejs' in found) {
      return found.ejs(data);
    }
    const include: Include = (name, includeData) => {
      if (!includeData) return run(includePath(name, file), data, names, namesKey);
      // The includer's values and the include's own, in a new object (a template never writes to its data).
      const child = Object.create(null) as Data;
      for (const key in data) child[key] = data[key];
      let childNames = names;
      let childKey = namesKey;
      const added: string[] = [];
      for (const key of Object.keys(includeData)) {
        if (!(key in child)) added.push(key);
        child[key] = includeData[key];
      }
      if (added.length) {
        childNames = [...names, ...added];
        childKey = `${namesKey},${added.join(',')}`;
      }
      return run(includePath(name, file), child, childNames, childKey);
    };
    return found.plain(data, escapeHtml, include, rethrow);
  };

  return {
    render: (file, data) => {
      const top = Object.assign(Object.create(null) as Data, data);
      const names = Object.keys(top);
      return run(file, top, names, names.join(','));
    },
  };
}
