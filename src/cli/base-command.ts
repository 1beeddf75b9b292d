import {Command} from '@oclif/core'
import {UserError} from '../errors.js'

/**
 * Base of every effscale command: `--json` prints the returned result as one JSON document on
 * stdout; a UserError becomes a one-line message on stderr and exit code 2 (no stack trace).
 */
export abstract class EffscaleCommand<T> extends Command {
  static override enableJsonFlag = true

  abstract override run(): Promise<T>

  protected override async catch(err: Error & {exitCode?: number}): Promise<unknown> {
    if (err instanceof UserError) {
      // Under --json the error is reported as JSON by oclif; otherwise one line.
      if (this.jsonEnabled()) this.logJson({error: err.message, exitCode: err.exitCode})
      else process.stderr.write(`effscale: ${err.message}\n`)
      this.exit(err.exitCode)
    }
    return super.catch(err)
  }
}
