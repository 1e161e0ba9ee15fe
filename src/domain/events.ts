// Domain events: what verbs raise into the current unit of work, for the
// subscribers of src/domain/subscribers.ts to react to once per unit of work (the
// unit of work runs them: src/db/unit-of-work.ts).
import { current, currentActor, type RaisedEvent } from '../current.js';

export type { RaisedEvent } from '../current.js';

/** Adds `event` to the current unit of work, with the current actor as its origin. */
export function raise<E extends { type: string }>(event: E): void {
  const events = current()?.events;
  if (!events) throw new Error(`${event.type} raised outside a unit of work`);
  const origin = { ...currentActor() };
  events.push(Object.freeze({ ...event, origin }) as RaisedEvent);
}
