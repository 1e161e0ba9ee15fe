// `row(name, data)` in a view renders a record's partial with only the data given —
// not a copy of every local, as `include` makes — for partials drawn once per row.
// Compiled once per process when views are cached (production), else on each call.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

type Template = (data: Record<string, unknown>) => string;

export function rowPartials(viewsDir: string, cache: () => boolean): (name: string, data: Record<string, unknown>) => string {
  const compiled = new Map<string, Template>();
  const load = (name: string): Template => {
    const filename = path.join(viewsDir, `${name.replace(/^\/+/, '')}.ejs`);
    if (!filename.startsWith(viewsDir + path.sep)) throw new Error(`No such partial: ${name}`);
    return ejs.compile(readFileSync(filename, 'utf8'), { filename, root: viewsDir, compileDebug: !cache() }) as Template;
  };
  return (name, data) => {
    let template = cache() ? compiled.get(name) : undefined;
    if (!template) {
      template = load(name);
      if (cache()) compiled.set(name, template);
    }
    return template(data);
  };
}
