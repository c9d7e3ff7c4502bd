/*
 * Route map. Each area keeps its routes in its own file under start/routes/.
 */
import '#http/openapi/route_docs'
import '#start/routes/ops'
import '#start/routes/api'
import '#start/routes/ledger'
import '#start/routes/webhooks'
import '#start/routes/plugins'
import '#start/routes/jobs'
import '#start/routes/web'
