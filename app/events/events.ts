import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { VineValidator } from '@vinejs/vine'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'
import { tenantContext } from '#tenancy/tenant_context'

/*
 * Domain events: `<source>.<entity>.<verb>` with a versioned payload schema,
 * written to the outbox in the caller's transaction (the event commits or rolls
 * back with the change), then delivered by the relay (#events/relay) to every
 * matching subscriber, at least once and in order per aggregate.
 */

/* JSON Schema (checked with ajv) or a compiled VineJS validator */
export type EventSchema = Record<string, unknown> | VineValidator<any, any>

export type EventDefinition = {
  name: string
  version: number
  schema: EventSchema
  description?: string
}

export type Aggregate = { type: string; id: string | number }

export type PublishInput<P = Record<string, unknown>> = {
  name: string
  /* defaults to the latest defined version */
  version?: number
  /* defaults to the tenant in context; null for platform-wide events */
  tenantId?: number | null
  aggregate: Aggregate
  payload: P
}

/* What subscribers receive. */
export type DomainEvent<P = any> = {
  id: string
  name: string
  version: number
  tenantId: number | null
  aggregate: { type: string; id: string }
  payload: P
  occurredAt: Date
}

export type EventHandler<P = any> = (
  event: DomainEvent<P>,
  ctx: { subscriber: string; attempt: number }
) => unknown | Promise<unknown>

export type SubscribeOptions = {
  /* stable and unique: receipts are recorded under it */
  name: string
  owner?: 'kernel' | (string & {})
  /* true: the relay hands the event to the job queue and a worker runs the handler */
  queued?: boolean
}

export type Subscriber = {
  name: string
  owner: string
  pattern: string
  queued: boolean
  handler: EventHandler
  matches(eventName: string): boolean
}

/* What the gate sees: return false and the subscriber skips the event (e.g. its plugin is disabled for that tenant). */
export type EventGate = (subject: {
  subscriber: string
  owner: string
  event: string
  tenantId: number | null
}) => boolean | Promise<boolean>

export const EVENT_NAME = /^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*$/
const PATTERN = /^(\*|[a-z][a-z0-9_-]*)(\.(\*|[a-z][a-z0-9_-]*))*$/

/* A payload that does not match its schema: a programming error in the publisher. */
export class EventPayloadError extends Error {
  constructor(
    name: string,
    version: number,
    readonly issues: unknown
  ) {
    super(
      `Payload of event "${name}" v${version} does not match its schema: ${JSON.stringify(issues)}`
    )
  }
}

export class UnknownEventError extends Error {
  constructor(name: string, version?: number) {
    super(
      version === undefined
        ? `Event "${name}" is not defined; call events.define() first`
        : `Event "${name}" has no version ${version}`
    )
  }
}

/*
 * Event-name patterns: dot segments where `*` matches one segment, and a final
 * `*` matches one or more: `*` is every event, `ledger.*` every ledger event,
 * `ledger.entry.*` every entry event, `*.entry.posted` that verb from any source.
 */
export function isValidPattern(pattern: string) {
  return pattern.length <= 150 && PATTERN.test(pattern)
}

export function compilePattern(pattern: string): (eventName: string) => boolean {
  if (!isValidPattern(pattern)) throw new Error(`Invalid event pattern "${pattern}"`)
  const parts = pattern.split('.')
  return (eventName) => {
    const segments = eventName.split('.')
    for (const [index, part] of parts.entries()) {
      const last = index === parts.length - 1
      if (part === '*' && last) return segments.length > index
      if (index >= segments.length) return false
      if (part !== '*' && part !== segments[index]) return false
    }
    return segments.length === parts.length
  }
}

type DefinedVersion = EventDefinition & { check(payload: unknown): Promise<unknown> }

const ajv = new Ajv({ allErrors: true, strict: false })
;(addFormats as unknown as (a: Ajv) => void)(ajv)

function isVineValidator(schema: EventSchema): schema is VineValidator<any, any> {
  return typeof (schema as VineValidator<any, any>).validate === 'function'
}

function checker(definition: EventDefinition): DefinedVersion['check'] {
  const { name, version, schema } = definition
  if (isVineValidator(schema)) {
    return async (payload) => {
      try {
        return await schema.validate(payload)
      } catch (error: any) {
        throw new EventPayloadError(name, version, error?.messages ?? error?.message)
      }
    }
  }
  const validate: ValidateFunction = ajv.compile(schema)
  return async (payload) => {
    if (!validate(payload)) throw new EventPayloadError(name, version, validate.errors)
    return payload
  }
}

export class Events {
  #definitions = new Map<string, Map<number, DefinedVersion>>()
  #subscribers = new Map<string, Subscriber>()
  #gate: EventGate = () => true
  #publishedListeners = new Set<() => void>()

  /* Declares an event type and one version of its payload schema. */
  define(definition: EventDefinition): EventDefinition {
    if (!EVENT_NAME.test(definition.name) || definition.name.length > 150) {
      throw new Error(
        `Event name "${definition.name}" must be <source>.<entity>.<verb> (lower-case, e.g. "ledger.entry.posted")`
      )
    }
    if (!Number.isInteger(definition.version) || definition.version < 1) {
      throw new Error(`Event "${definition.name}": version must be a positive integer`)
    }
    const versions = this.#definitions.get(definition.name) ?? new Map()
    versions.set(definition.version, { ...definition, check: checker(definition) })
    this.#definitions.set(definition.name, versions)
    return definition
  }

  definition(name: string, version?: number): EventDefinition | undefined {
    return this.#version(name, version)
  }

  definitions(): EventDefinition[] {
    return [...this.#definitions.values()].flatMap((versions) =>
      [...versions.values()].map(({ check: _check, ...definition }) => definition)
    )
  }

  /*
   * Writes the event to the outbox in `trx`, so it commits with the change that
   * caused it (and disappears if that rolls back). Without a transaction the
   * event is written on its own: only for events no data change goes with.
   * A payload that fails its schema throws: that is a bug in the publisher.
   */
  async publish<P extends Record<string, unknown>>(
    input: PublishInput<P>,
    trx?: TransactionClientContract
  ): Promise<DomainEvent<P>> {
    const { event, row } = await this.prepare(input)
    await (trx ?? db).insertQuery().table('event_outbox').insert(row)
    // wake the relay once the event is visible (after commit), for low latency
    if (trx) trx.after('commit', () => this.#notifyPublished())
    else this.#notifyPublished()
    return event
  }

  /*
   * The checked event and its outbox row, for a writer that inserts many rows
   * in one statement (the ledger's group commit). The row must be inserted in
   * the transaction of the change; call committed() once that transaction has
   * committed.
   */
  async prepare<P extends Record<string, unknown>>(
    input: PublishInput<P>
  ): Promise<{ event: DomainEvent<P>; row: Record<string, string | number | null> }> {
    const definition = this.#version(input.name, input.version)
    if (!definition) throw new UnknownEventError(input.name, input.version)
    const payload = (await definition.check(input.payload)) as P
    const tenantId = input.tenantId !== undefined ? input.tenantId : tenantContext.tenantId
    const aggregate = { type: String(input.aggregate.type), id: String(input.aggregate.id) }
    if (
      !aggregate.type ||
      aggregate.type.length > 60 ||
      !aggregate.id ||
      aggregate.id.length > 120
    ) {
      throw new Error(`Event "${input.name}": aggregate type (<= 60) and id (<= 120) are required`)
    }
    const event: DomainEvent<P> = {
      id: randomUUID(),
      name: definition.name,
      version: definition.version,
      tenantId,
      aggregate,
      payload,
      occurredAt: new Date(),
    }
    const row = {
      event_id: event.id,
      name: event.name,
      version: event.version,
      tenant_id: tenantId,
      aggregate_type: aggregate.type,
      aggregate_id: aggregate.id,
      payload: JSON.stringify(payload),
      status: 'pending',
      attempts: 0,
      occurred_at: event.occurredAt.getTime(),
      next_attempt_at: 0,
      locked_until: 0,
    }
    return { event, row }
  }

  /* Wakes the relay: events written with prepare() were committed. */
  committed() {
    this.#notifyPublished()
  }

  /* Subscribes a handler to an event-name pattern; returns a function that unsubscribes. */
  subscribe(pattern: string, handler: EventHandler, options: SubscribeOptions): () => void {
    if (!/^[a-z0-9][a-z0-9_.:-]{0,149}$/i.test(options.name)) {
      throw new Error(`Subscriber name "${options.name}" must be 1-150 characters [a-z0-9_.:-]`)
    }
    if (this.#subscribers.has(options.name)) {
      throw new Error(`A subscriber named "${options.name}" is already registered`)
    }
    const subscriber: Subscriber = {
      name: options.name,
      owner: options.owner ?? 'kernel',
      pattern,
      queued: options.queued ?? false,
      handler,
      matches: compilePattern(pattern),
    }
    this.#subscribers.set(subscriber.name, subscriber)
    return () => {
      if (this.#subscribers.get(subscriber.name) === subscriber) {
        this.#subscribers.delete(subscriber.name)
      }
    }
  }

  subscriber(name: string): Subscriber | undefined {
    return this.#subscribers.get(name)
  }

  /* Subscribers of an event, in registration order. */
  subscribersOf(eventName: string): Subscriber[] {
    return [...this.#subscribers.values()].filter((subscriber) => subscriber.matches(eventName))
  }

  /* The plugin system installs a gate so a disabled plugin's subscribers skip that tenant's events. */
  setGate(gate: EventGate) {
    this.#gate = gate
  }

  allows(subscriber: Subscriber, event: DomainEvent) {
    return this.#gate({
      subscriber: subscriber.name,
      owner: subscriber.owner,
      event: event.name,
      tenantId: event.tenantId,
    })
  }

  /* Relays listen here to run as soon as an event is committed. */
  onPublished(listener: () => void): () => void {
    this.#publishedListeners.add(listener)
    return () => this.#publishedListeners.delete(listener)
  }

  #notifyPublished() {
    for (const listener of this.#publishedListeners) listener()
  }

  #version(name: string, version?: number): DefinedVersion | undefined {
    const versions = this.#definitions.get(name)
    if (!versions) return undefined
    if (version !== undefined) return versions.get(version)
    return versions.get(Math.max(...versions.keys()))
  }
}

export const events = new Events()
