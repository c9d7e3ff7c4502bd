/*
 * #plinth: the public contract a plugin imports from the kernel. Filled in by
 * the plugin system work.
 */
export {}
