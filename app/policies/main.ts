/*
 * Bouncer policies, registered by name. Kernel checks are permission strings
 * (see #abilities/main); policies hold rules that need the resource itself.
 */
export const policies = {}
