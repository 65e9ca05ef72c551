-- Indexes in the order pages list a hub's cohorts and a cohort's enrolments: with them, a nested
-- page (first: N, joined in one statement) stops after N rows instead of building every row first.

-- DropIndex
DROP INDEX "cohort_hub_id_academic_year_idx";

-- CreateIndex
CREATE INDEX "cohort_hub_id_academic_year_code_idx" ON "cohort"("hub_id", "academic_year" DESC, "code");

-- CreateIndex
CREATE INDEX "enrolment_cohort_id_id_idx" ON "enrolment"("cohort_id", "id");
