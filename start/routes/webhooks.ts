/*
 * Webhooks routes under /api/v1 (and their web pages). Filled in by the webhooks work.
 */
export {}
