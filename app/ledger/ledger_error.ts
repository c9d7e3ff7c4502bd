import { ApiError } from '#http/api_error'

/*
 * A posting the ledger refuses. It is an ApiError so the API renders it as is
 * (422 with a pointer at the offending field, 409 for conflicts, 423 for a
 * locked period); plugins calling the service catch the same class.
 */
export class LedgerError extends ApiError {
  static invalid(pointer: string, detail: string, code = 'VALIDATION_ERROR') {
    return new LedgerError(422, code, detail, { pointer: `/data/attributes${pointer}` })
  }
}
