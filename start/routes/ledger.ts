/*
 * Ledger routes under /api/v1 (and their web pages). Filled in by the ledger work.
 */
export {}
