// The views' ejs, with includes that copy nothing. ejs's own include copies every local
// of the including view into a fresh object, twice (for the include's data, then for the
// included template's locals), and copies its options and resolves its path again, at
// every include: with a page's fifty-odd locals and a dozen includes that was a seventh
// of a page request's CPU, and much of its garbage (bench/pages, --cpu-prof).
//
// Here a template's data is given as is (ejs's unsafePrototypeLocals) and an include's
// data is a new object whose prototype is the including template's data, with the
// include's own values on it: the same names resolve to the same values as ejs's copy
// would give. The included template sees its includer's data as it was given, never what
// the includer assigned while running (a `var` inside ejs's `with` writes to the locals):
// each template runs on a layer of its own over its data, as ejs ran on its copy. The
// top object has no prototype, as ejs's copies have none, so `constructor` or
// `toString` in a view is no local. The templates find this `include` first because ejs
// runs them `with (locals)`: a local named include shadows its own.
// Templates are compiled once per process when the view cache is on (production), and
// read and compiled at every use otherwise, as ejs's renderFile did.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import { escapeHtml } from '../lib/html.js';

type Data = Record<string, unknown>;
type Template = (data: Data) => string;

export interface Views {
  /** `file` (an absolute path under the views) rendered with `data`: its own values are copied once, into an object without prototype. */
  render(file: string, data: Data): string;
}

export function views(viewsDir: string, cache: () => boolean): Views {
  const compiled = new Map<string, Template>();
  const resolved = new Map<string, string>();

  const template = (file: string): Template => {
    const caching = cache();
    let fn = caching ? compiled.get(file) : undefined;
    if (!fn) {
      const source = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
      // Cached (production) templates compile without line tracking: faster, and errors are logged, not shown.
      fn = ejs.compile(source, { filename: file, root: viewsDir, views: [viewsDir], compileDebug: !caching, escape: escapeHtml, unsafePrototypeLocals: true } as ejs.Options) as unknown as Template;
      if (caching) compiled.set(file, fn);
    }
    return fn;
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
      resolved.set(key, file);
    }
    return file;
  };

  const run = (file: string, data: Data): string => {
    data.include = (name: string, includeData?: Data) => {
      const child = Object.create(data) as Data;
      if (includeData) Object.assign(child, includeData);
      return run(includePath(name, file), child);
    };
    return template(file)(Object.create(data) as Data);
  };

  return {
    render: (file, data) => run(file, Object.assign(Object.create(null) as Data, data)),
  };
}
