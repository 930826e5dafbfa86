// Package cityload puts a city's load on one back office: thousands of
// simulated terminals, each with its own uplink client (the code a
// terminal runs) and an in-memory queue, sending heartbeats, submission
// batches, ticket and status requests on a schedule compressed in time.
//
// Latencies are measured per route at the terminal, from the call into
// the uplink client to its return, so they include TLS, the back office's
// handler and its database. A Proxy between the terminals and the back
// office resets a fraction of the connections, for the run with a fault.
//
// The benchmark that drives it (BenchmarkCity, make bench-city) needs
// PostgreSQL: TONGBAN_PG_DSN, as scripts/pg-test-db.sh prints it.
package cityload
