CREATE TABLE "proposal_lsh_buckets" (
	"ip" text NOT NULL,
	"band" smallint NOT NULL,
	"bucket" integer NOT NULL,
	"proposal_id" uuid NOT NULL,
	CONSTRAINT "proposal_lsh_buckets_ip_band_bucket_proposal_id_pk" PRIMARY KEY("ip","band","bucket","proposal_id")
);
--> statement-breakpoint
CREATE INDEX "proposal_lsh_buckets_proposal_idx" ON "proposal_lsh_buckets" USING btree ("proposal_id");--> statement-breakpoint
-- Backfill: index the signatures stored before this table existed. The bucket is the
-- same function as bandBuckets() in server/features/proposals/lsh.ts (42 bands of 3 rows).
INSERT INTO "proposal_lsh_buckets" ("ip", "band", "bucket", "proposal_id")
SELECT p."ip", b.band,
  ((((p."minhash"->>(b.band * 3))::bigint % 2147483647) * 1000003 + ((p."minhash"->>(b.band * 3 + 1))::bigint % 2147483647)) % 2147483647 * 1000003
    + ((p."minhash"->>(b.band * 3 + 2))::bigint % 2147483647)) % 2147483647,
  p."id"
FROM "proposals" p CROSS JOIN generate_series(0, 41) AS b(band)
WHERE p."minhash" IS NOT NULL AND jsonb_array_length(p."minhash") = 128
ON CONFLICT DO NOTHING;
