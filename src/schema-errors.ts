import type {ErrorObject} from 'ajv'

/** One readable line for the first ajv error, naming the field by its dotted path. */
export function describeAjvError(e: ErrorObject | undefined, fallback: string): string {
  if (!e) return fallback
  const field = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : '(top level)'
  switch (e.keyword) {
    case 'required':
      return `${field === '(top level)' ? '' : field + '.'}${(e.params as {missingProperty: string}).missingProperty} is required`
    case 'additionalProperties':
      return `${field}: unknown field "${(e.params as {additionalProperty: string}).additionalProperty}"`
    case 'enum':
      return `${field} must be one of ${(e.params as {allowedValues: unknown[]}).allowedValues.join(', ')}`
    default:
      return `${field} ${e.message}`
  }
}
