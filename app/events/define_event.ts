import { events, type EventDefinition } from '#events/events'

export type { EventDefinition }

/*
 * Declares an event type once (importing the module twice, e.g. in tests,
 * does not redefine it). Plugins reach it through #plinth; publishing goes
 * through their `events.publish` capability.
 */
export function defineEvent(definition: EventDefinition): EventDefinition {
  return events.definition(definition.name, definition.version) ?? events.define(definition)
}
