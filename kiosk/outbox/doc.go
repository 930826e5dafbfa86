// Package outbox is the durable offline queue of submissions on bbolt: a submission is acknowledged only once it is fsynced to disk.
package outbox
