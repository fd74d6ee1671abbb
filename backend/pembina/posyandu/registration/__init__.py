"""The road to a Nomor Registrasi Posyandu, one job a module:

* `documents`: the evidence documents a proposal needs;
* `transitions`: readiness and the explicit status transitions of one posyandu, and its history;
* `batches`: registration batches of verified posyandu submitted to the ministry;
* `batch_files`: a batch's export for the ministry, and the import of the numbers that come back;
* `common`: what they share (who may act, the event of each step, the counters it moves)."""
