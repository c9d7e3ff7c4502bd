/*
 * The plugins' migration folders (relative to the app root), in dependency
 * order, filled by the plugins provider at boot. config/database.ts appends
 * them to the kernel's, so `node ace migration:run` migrates plugins too.
 * Kept free of imports: the database config reads it.
 */
export const pluginMigrationPaths: string[] = []
