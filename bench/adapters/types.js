/**
 * The contract every peer adapter implements, so workloads drive all systems the same way.
 *
 * @typedef {object} CreateOptions
 * @property {number} capacity   entries the cache must hold without evicting (where it has a bound)
 * @property {number} ttl        time to live in milliseconds
 * @property {(key: string) => unknown} load   the loader for `key` (a value or a promise)
 *
 * @typedef {object} Instance
 * @property {(key: string, tags?: string[]) => Promise<any>} getOrLoad
 *   the cached value for `key`, loading it with `load(key)` on a miss (tags: where supported)
 * @property {((tag: string) => Promise<unknown>) | undefined} invalidateTag
 *   drops every entry tagged `tag` (undefined when the system has no tags)
 * @property {() => Promise<void>} close   releases timers and connections
 *
 * @typedef {object} Adapter
 * @property {string} id      stable identifier (command line, child processes)
 * @property {string} label   name shown in the report
 * @property {string} how     the call measured, for the report
 * @property {(options: CreateOptions) => Promise<Instance>} create
 */

export {};
