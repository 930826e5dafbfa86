// Package outbox is the terminal's durable offline queue of submissions, on
// bbolt (the only package that imports it). A submission is acknowledged to
// the resident only once the write transaction holding it is fsynced.
//
// # Life of a submission
//
//	Enqueue ──▶ pending ──NextBatch──▶ sending ──Acknowledge──▶ acknowledged ──Purge──▶ purged
//	               ▲                      │ Release (transient)        (after Retention)
//	               └──────────────────────┤
//	               ▲                      └──Quarantine (permanent)──▶ quarantined
//	               └──────────── Retry (staff, after a fix) ─────────────────┘
//
// Nothing is dropped silently: a permanent rejection, or a record that no
// longer opens, is quarantined with a reason staff can read; only
// acknowledged submissions are ever purged, and a purged one leaves a
// tombstone (IDs, receipt numbers) so a progress query still finds it.
// Open puts submissions left in `sending` by a crash back to pending; the
// back office deduplicates on the submission ID, so a resend is harmless.
//
// # On disk
//
// Buckets are keyed by submission ID (UUIDv7), local sequence or receipt
// number, never by anything personal. Each submission's entry (state,
// receipt numbers, item) is plain JSON with no personal data; the
// submission itself, with its signature image, is sealed with SM4-GCM under
// a random per-record data key, and that key is stored wrapped (SM4-GCM)
// under the terminal key, which lives in its own 0600 file (LoadOrCreateKey).
// Both seals bind the record ID as additional data. Purge deletes the
// wrapped data key with the body: copies of the body left in freed pages
// can no longer be opened once the key page is reused, and Compact rewrites
// the file without any freed page. (bbolt copies pages on write, so a
// deleted key's bytes stay in a freed page until that page is reused or the
// file compacted: compact after purging, as the maintenance job should.)
// The terminal key in a file is the development stand-in for a key held in
// a secure element or TPM, which 密评 assessors expect.
//
// # Key epochs
//
// With Options.Epochs (kiosk/keystore.Dir) data keys are wrapped under the
// key of the current epoch instead of the one terminal key (layout v2 in
// seal.go names the epoch). A new epoch begins each Period (a day). Purge
// ends with ShredEpochs: every epoch but the newest that no held record
// (pending, sending, acknowledged within the grace, quarantined) is sealed
// under has its key shredded. A copy of the queue file taken earlier, a
// backup or a freed page then holds nothing that opens
// (TestEpochShreddingDefeatsOldCopies). Records written before epochs were
// turned on still open with Options.Key until they are purged.
//
// Only the applicant fields a submission sends are sealed
// (kiosk.Identity.Sent): the card's address, issuing authority, validity
// dates and English name never reach the queue.
//
// # Durability and crashes
//
// bbolt runs with its defaults (two fdatasyncs per commit; never NoSync),
// the hashmap freelist, and MaxSize set to the quota. Enqueue refuses with
// kiosk.KindQueueFull once the space in use would pass QuotaFill percent of
// the quota, keeping room for state changes and purges, and NextBatch and
// Purge shrink their transactions if the file is at its limit. A full
// disk refuses new submissions the same way; two reserve files of real
// bytes beside the queue (PATH.reserve, PATH.reserve-compact) are given up
// when a state change or a compaction finds the disk full, so sync, purge
// and compaction can still free space (reserve.go).
//
// Open first validates the file with plain reads (validate.go: page size,
// both meta pages and their checksums, the length against the high-water
// mark, every page and offset the tree leads to), because bbolt follows
// them in its memory map without bounds checks and a truncated file would
// kill the process with SIGBUS, which recover() cannot catch. Then it
// checks the file on a read-only handle (bbolt's page check plus the
// queue's own structure, panics recovered). A damaged file is renamed to
// PATH.damaged-<time>, never deleted, StartReport.Damaged tells the caller
// to raise an alarm, and a fresh queue starts. Stats.Stranded counts what
// such files still hold (read with the validator's bounds-checked reader,
// never with bbolt), and Salvage (kioskctl queue salvage FILE) moves it
// into the live queue. OpenReadOnly is for tools that must change nothing.
//
// TestCrash kills a child process filling the queue with SIGKILL at random
// moments and checks, after each kill, that every ID the child printed as
// acknowledged is present and that the file verifies clean (make crash-long
// runs 500 cycles). A SIGKILL leaves the kernel's page cache intact, so
// this proves the process-crash case only; power cuts need a
// drop-unsynced-writes file system (LazyFS, dm-flakey) in the lab.
//
// # One transaction per submission, not DB.Batch
//
// Enqueue uses DB.Update: one write transaction, fsynced, per submission.
// bbolt's DB.Batch merges concurrent calls into one transaction, but a
// call waits up to MaxBatchDelay (10 ms) for others to join. A kiosk has
// one writer and about one submission a minute, so Batch only adds that
// wait: BenchmarkEnqueueBatch measured p50 11.7 ms with one writer against
// 1.1 ms for Update (BenchmarkEnqueue; p99 4.9 ms under a loaded shared
// machine, 0.9 ms quiet), and still 11.7 ms p50 with 8 writers. Batch also
// re-runs every function of a batch when one fails, so the functions must
// be idempotent, and a commit error reaches every caller of the batch. If
// group commit is ever needed, an explicit writer goroutine draining a
// channel is simpler to reason about.
package outbox
