import {Command} from '@oclif/core'
import {EXIT, fsErrorLine, UserError} from '../errors.js'

/**
 * Base of every effscale command: `--json` prints the returned result as one JSON document on
 * stdout; a user error — a UserError, or oclif's own flag/argument parse error — becomes one
 * line on stderr and exit code 2 (no stack trace, no usage dump); an I/O error becomes one line
 * with the exit code of IO_ERRORS (src/errors.ts).
 */
export abstract class EffscaleCommand<T> extends Command {
  static override enableJsonFlag = true

  abstract override run(): Promise<T>

  protected override async catch(err: Error & {exitCode?: number}): Promise<unknown> {
    // A raw fs error (disk full, permission) that no call site named still becomes one line.
    const known = err instanceof UserError ? err : fsErrorLine(err)
    const message = known?.message ?? parseErrorLine(err)
    if (message !== undefined) {
      const exitCode = known?.exitCode ?? EXIT.usage
      if (this.jsonEnabled()) this.logJson({error: message, exitCode})
      else process.stderr.write(`effscale: ${message}\n`)
      this.exit(exitCode)
    }
    return super.catch(err)
  }
}

/**
 * oclif's parse errors (unknown flag, bad option, missing argument) are several lines and
 * trigger a usage dump; they are recognised by their `parse` field and exit 2, and folded into
 * one line with the hint to --help.
 */
function parseErrorLine(err: Error & {parse?: unknown; oclif?: {exit?: number}}): string | undefined {
  if (err.parse === undefined || err.oclif?.exit !== EXIT.usage) return undefined
  const lines = err.message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('See more help'))
  return `${lines.join(' ').replace(/\s+/g, ' ')} (see --help)`
}
