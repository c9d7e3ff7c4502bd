/*
 * The kernel's semver: the version of the SDK surface plugins build against
 * (`requires.kernel` is checked against it). Kept equal to package.json's
 * "version" (a unit test checks); bump both together.
 */
export const KERNEL_VERSION = '1.0.0'
