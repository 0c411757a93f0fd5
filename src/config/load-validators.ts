/**
 * The precompiled JSON Schema validators (validators.ts, about 470 KB of generated code) loaded on first use, so
 * `serve` with the built-in config does not read and compile them before it listens. The asynchronous paths
 * (config and scenario files, admin bodies) await `loadValidators()`; the one synchronous check
 * (`SubscriptionRegistry.put`, via validateSubscriptionBody) runs only after one of them has: the admin routes,
 * the scenario runner's local target and the journal's restore (when it holds a runtime subscription) await it
 * first. Nothing loads them right after listening: the compile would hold up the first requests, /healthz
 * included, and the first admin PUT can pay it instead. The library entry (src/index.ts) loads them anyway and
 * hands them over with `provideValidators`, so a core built with composeEmulator, or a started emulator's core,
 * checks subscriptions synchronously.
 */
import { validatorsNotLoaded } from '../errors.js'

type Validators = typeof import('./validators.js')

let loading: Promise<Validators> | undefined
let loaded: Validators | undefined

/** The validators, imported once; later calls get the same promise. */
export async function loadValidators (): Promise<Validators> {
  loading ??= import('./validators.js').then((m) => (loaded = m))
  return await loading
}

/** The validators for a synchronous check; throws if nothing awaited `loadValidators()` yet (a bug, not input). */
export function loadedValidators (): Validators {
  if (loaded === undefined) throw validatorsNotLoaded()
  return loaded
}

/** Hands over validators already imported (the library entry's), so `loadedValidators()` needs no await first. */
export function provideValidators (validators: Validators): void {
  loaded = validators
  loading = Promise.resolve(validators)
}
