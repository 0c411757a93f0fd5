/**
 * Real headless Chromium (Debian's `chromium` package) driven by playwright-core, which never downloads a browser.
 * Each launch gets a fresh, empty profile; no background networking, so the dashboard must work offline.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/**
 * Why the browser tests cannot run here, or undefined when they can. On a developer's machine without Chromium
 * they are skipped with this reason (the rest of `npm test` still runs); in CI (CI=true) a missing browser fails.
 */
export function browserMissing (): string | undefined {
  if (existsSync(CHROMIUM)) return undefined
  const reason = `no Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`
  if (process.env.CI === 'true') throw new Error(`${reason} (CI=true: the browser tests must run)`)
  return reason
}

export async function launchBrowser (): Promise<{ context: BrowserContext, close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH`)
  const profile = await mkdtemp(join(tmpdir(), 'eg-ui-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  return {
    context,
    close: async () => { await context.close(); await rm(profile, { recursive: true, force: true }) }
  }
}
