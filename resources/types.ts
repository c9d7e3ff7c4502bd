/* The server's page props (app/web/page_props.ts), for the pages' defineProps. */
export type * from '../app/web/page_props'
