-- Trigram matching for name search (school and participant names).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateEnum
CREATE TYPE "SuccessionEvidence" AS ENUM ('SAME_NAME', 'PROBABLE_HIGH', 'PROBABLE_MEDIUM', 'NOT_EVIDENT');

-- CreateEnum
CREATE TYPE "SchoolPhase" AS ENUM ('PRIMARY', 'MIDDLE', 'SECONDARY', 'ALL_THROUGH', 'SIXTEEN_PLUS', 'NOT_APPLICABLE');

-- CreateEnum
CREATE TYPE "SchoolType" AS ENUM ('ACADEMY', 'FREE_SCHOOL', 'LA_MAINTAINED', 'SPECIAL', 'UTC', 'FE_COLLEGE', 'SIXTH_FORM_COLLEGE', 'INDEPENDENT');

-- CreateEnum
CREATE TYPE "ProgrammeFamily" AS ENUM ('TEACHING_FOR_MASTERY', 'LEADERSHIP', 'CURRICULUM', 'CROSS_PHASE', 'POST_16', 'SKTM', 'ITT', 'PD_ACCREDITATION', 'HISTORIC');

-- CreateEnum
CREATE TYPE "ProgrammePhase" AS ENUM ('PRIMARY', 'SECONDARY', 'PRIMARY_SECONDARY', 'CROSS_PHASE', 'POST_16', 'ALL_PHASE', 'UNSPECIFIED');

-- CreateEnum
CREATE TYPE "ProgrammeKind" AS ENUM ('WORK_GROUP', 'COMMUNITY', 'SUPPORT_PROGRAMME', 'SKTM_PROGRAMME', 'SPECIALIST_PROGRAMME', 'LEAD_PROGRAMME', 'HISTORIC_PROGRAMME', 'EXCHANGE');

-- CreateEnum
CREATE TYPE "MasteryPhase" AS ENUM ('DEVELOPMENT', 'EMBEDDING', 'SUSTAINING');

-- CreateEnum
CREATE TYPE "ProgrammeStatus" AS ENUM ('OFFERED', 'REPLACED', 'HISTORIC', 'REFERENCED');

-- CreateEnum
CREATE TYPE "ProgrammeYearStatus" AS ENUM ('RECRUITING', 'AVAILABLE', 'EXPRESSION_OF_INTEREST', 'CLOSED', 'NOT_LISTED');

-- CreateEnum
CREATE TYPE "EligibilityCheck" AS ENUM ('STATE_FUNDED_IN_ENGLAND', 'SCHOOL_PHASE', 'SCHOOL_IN_COHORT_AREA', 'COMPLETED_PROGRAMME_PREVIOUS_YEAR', 'COMPLETED_PROGRAMME', 'SCHOOL_IN_PROGRAMME', 'TEXT_ONLY');

-- CreateEnum
CREATE TYPE "FundingPayer" AS ENUM ('MATHS_HUBS_PROGRAMME', 'DFE', 'AMSP', 'PARTICIPANT');

-- CreateEnum
CREATE TYPE "FundingUnit" AS ENUM ('PER_DEPARTMENT', 'PER_SCHOOL', 'PER_DAY', 'PER_PARTICIPANT', 'TRAVEL_COSTS');

-- CreateEnum
CREATE TYPE "CohortStatus" AS ENUM ('PLANNED', 'RECRUITING', 'RUNNING', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "EnrolmentRole" AS ENUM ('MASTERY_ADVOCATE', 'MASTERY_SPECIALIST', 'HEAD_OF_DEPARTMENT', 'SUBJECT_LEADER', 'ECT', 'NON_SPECIALIST_TEACHER', 'TA', 'PD_LEAD', 'SCHOOL_DEVELOPMENT_LEAD', 'MAT_MATHS_LEAD', 'ITT_PROVIDER_LEAD', 'TEACHER');

-- CreateEnum
CREATE TYPE "EnrolmentStatus" AS ENUM ('APPLIED', 'ACCEPTED', 'ACTIVE', 'COMPLETED', 'WITHDRAWN', 'DECLINED');

-- CreateEnum
CREATE TYPE "ApplicationStatus" AS ENUM ('SUBMITTED', 'WAITLISTED', 'ACCEPTED', 'DECLINED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "SessionKind" AS ENUM ('HALF_DAY_MEETING', 'IN_SCHOOL_SUPPORT', 'RESIDENTIAL', 'WORKSHOP', 'CONFERENCE');

-- CreateEnum
CREATE TYPE "SessionMode" AS ENUM ('IN_PERSON', 'ONLINE');

-- CreateEnum
CREATE TYPE "AttendanceStatus" AS ENUM ('PRESENT', 'ABSENT', 'EXCUSED');

-- CreateEnum
CREATE TYPE "ApiRole" AS ENUM ('HUB_STAFF', 'ANALYST', 'NATIONAL_ADMIN');

-- CreateTable
CREATE TABLE "region" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sort_order" INTEGER NOT NULL,

    CONSTRAINT "region_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hub" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "short_name" TEXT NOT NULL,
    "alt_names" TEXT[],
    "region_id" INTEGER NOT NULL,
    "number_in_region" INTEGER NOT NULL,
    "areas_served" TEXT[],
    "contact_email" TEXT,

    CONSTRAINT "hub_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hub_lead_organisation" (
    "id" SERIAL NOT NULL,
    "hub_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "town" TEXT,
    "academic_year" TEXT NOT NULL,
    "inferred" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "hub_lead_organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hub_predecessor" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "region_id" INTEGER NOT NULL,
    "listed_in" TEXT NOT NULL,
    "lead_organisations" TEXT[],
    "town" TEXT,
    "successor_hub_id" INTEGER,
    "evidence" "SuccessionEvidence" NOT NULL,

    CONSTRAINT "hub_predecessor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "school" (
    "id" SERIAL NOT NULL,
    "urn" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "phase" "SchoolPhase" NOT NULL,
    "type" "SchoolType" NOT NULL,
    "state_funded" BOOLEAN NOT NULL,
    "local_authority" TEXT NOT NULL,
    "postcode" TEXT NOT NULL,
    "trust" TEXT,
    "hub_id" INTEGER,
    "synthetic" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "school_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "programme" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "short_code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "family" "ProgrammeFamily" NOT NULL,
    "phase" "ProgrammePhase" NOT NULL,
    "kind" "ProgrammeKind" NOT NULL,
    "mastery_phase" "MasteryPhase",
    "status" "ProgrammeStatus" NOT NULL DEFAULT 'OFFERED',
    "summary" TEXT NOT NULL,
    "audience" TEXT[],
    "outcomes" TEXT[],
    "time_commitment" TEXT[],
    "fully_funded" BOOLEAN,
    "replaced_by_id" INTEGER,

    CONSTRAINT "programme_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "programme_year" (
    "id" SERIAL NOT NULL,
    "programme_id" INTEGER NOT NULL,
    "academic_year" TEXT NOT NULL,
    "project_code" TEXT,
    "status" "ProgrammeYearStatus" NOT NULL,
    "application_deadline" DATE,

    CONSTRAINT "programme_year_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "programme_link" (
    "id" SERIAL NOT NULL,
    "from_id" INTEGER NOT NULL,
    "to_id" INTEGER NOT NULL,
    "required" BOOLEAN NOT NULL,
    "rule" TEXT NOT NULL,

    CONSTRAINT "programme_link_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "eligibility_rule" (
    "id" SERIAL NOT NULL,
    "programme_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" "EligibilityCheck" NOT NULL,
    "description" TEXT NOT NULL,
    "school_phases" "SchoolPhase"[],
    "required_programme_id" INTEGER,

    CONSTRAINT "eligibility_rule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "funding_line" (
    "id" SERIAL NOT NULL,
    "programme_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "payer" "FundingPayer" NOT NULL,
    "amount_pence" INTEGER,
    "unit" "FundingUnit" NOT NULL,
    "description" TEXT NOT NULL,
    "academic_year" TEXT,

    CONSTRAINT "funding_line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cohort" (
    "id" SERIAL NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "programme_id" INTEGER NOT NULL,
    "hub_id" INTEGER,
    "region_id" INTEGER,
    "academic_year" TEXT NOT NULL,
    "status" "CohortStatus" NOT NULL,
    "capacity" INTEGER NOT NULL,
    "places_taken" INTEGER NOT NULL DEFAULT 0,
    "application_deadline" DATE,
    "starts_on" DATE,
    "ends_on" DATE,
    "areas_served" TEXT[],
    "lead_id" INTEGER,
    "synthetic" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "cohort_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "participant" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "trn" TEXT,
    "qts" BOOLEAN,
    "years_teaching" INTEGER,
    "school_id" INTEGER,
    "synthetic" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "participant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enrolment" (
    "id" SERIAL NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "cohort_id" INTEGER NOT NULL,
    "school_id" INTEGER,
    "application_id" INTEGER,
    "role" "EnrolmentRole" NOT NULL,
    "status" "EnrolmentStatus" NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "enrolment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "application" (
    "id" SERIAL NOT NULL,
    "cohort_id" INTEGER NOT NULL,
    "school_id" INTEGER NOT NULL,
    "status" "ApplicationStatus" NOT NULL DEFAULT 'SUBMITTED',
    "live" BOOLEAN DEFAULT true,
    "contact_telephone" TEXT NOT NULL,
    "headteacher_name" TEXT NOT NULL,
    "headteacher_email" TEXT NOT NULL,
    "head_of_department_name" TEXT NOT NULL,
    "head_of_department_email" TEXT NOT NULL,
    "head_of_department_trn" TEXT NOT NULL,
    "prior_specialist_work" TEXT,
    "statement" TEXT NOT NULL,
    "commitments_confirmed" BOOLEAN NOT NULL,
    "submitted_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(6),
    "decision_note" TEXT,

    CONSTRAINT "application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "application_advocate" (
    "id" SERIAL NOT NULL,
    "application_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "trn" TEXT NOT NULL,
    "year_groups_taught" TEXT NOT NULL,
    "responsibility" TEXT NOT NULL,

    CONSTRAINT "application_advocate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" SERIAL NOT NULL,
    "cohort_id" INTEGER NOT NULL,
    "kind" "SessionKind" NOT NULL,
    "title" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(6) NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "mode" "SessionMode" NOT NULL,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attendance" (
    "session_id" INTEGER NOT NULL,
    "enrolment_id" INTEGER NOT NULL,
    "status" "AttendanceStatus" NOT NULL,
    "recorded_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "attendance_pkey" PRIMARY KEY ("session_id","enrolment_id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" SERIAL NOT NULL,
    "label" TEXT NOT NULL,
    "role" "ApiRole" NOT NULL,
    "hub_id" INTEGER,
    "secret_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(6),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "api_key_id" INTEGER,
    "role" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "region_code_key" ON "region"("code");

-- CreateIndex
CREATE UNIQUE INDEX "hub_code_key" ON "hub"("code");

-- CreateIndex
CREATE INDEX "hub_region_id_number_in_region_idx" ON "hub"("region_id", "number_in_region");

-- CreateIndex
CREATE INDEX "hub_name_idx" ON "hub"("name");

-- CreateIndex
CREATE UNIQUE INDEX "hub_lead_organisation_hub_id_academic_year_name_key" ON "hub_lead_organisation"("hub_id", "academic_year", "name");

-- CreateIndex
CREATE INDEX "hub_predecessor_successor_hub_id_idx" ON "hub_predecessor"("successor_hub_id");

-- CreateIndex
CREATE UNIQUE INDEX "hub_predecessor_listed_in_name_key" ON "hub_predecessor"("listed_in", "name");

-- CreateIndex
CREATE UNIQUE INDEX "school_urn_key" ON "school"("urn");

-- CreateIndex
CREATE INDEX "school_hub_id_name_idx" ON "school"("hub_id", "name");

-- CreateIndex
CREATE INDEX "school_local_authority_idx" ON "school"("local_authority");

-- CreateIndex
CREATE INDEX "school_phase_idx" ON "school"("phase");

-- CreateIndex
CREATE INDEX "school_name_idx" ON "school" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE UNIQUE INDEX "programme_slug_key" ON "programme"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "programme_short_code_key" ON "programme"("short_code");

-- CreateIndex
CREATE INDEX "programme_family_idx" ON "programme"("family");

-- CreateIndex
CREATE INDEX "programme_phase_kind_idx" ON "programme"("phase", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "programme_year_project_code_key" ON "programme_year"("project_code");

-- CreateIndex
CREATE INDEX "programme_year_academic_year_status_idx" ON "programme_year"("academic_year", "status");

-- CreateIndex
CREATE UNIQUE INDEX "programme_year_programme_id_academic_year_key" ON "programme_year"("programme_id", "academic_year");

-- CreateIndex
CREATE INDEX "programme_link_to_id_idx" ON "programme_link"("to_id");

-- CreateIndex
CREATE UNIQUE INDEX "programme_link_from_id_to_id_key" ON "programme_link"("from_id", "to_id");

-- CreateIndex
CREATE UNIQUE INDEX "eligibility_rule_programme_id_position_key" ON "eligibility_rule"("programme_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "funding_line_programme_id_position_key" ON "funding_line"("programme_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "cohort_code_key" ON "cohort"("code");

-- CreateIndex
CREATE INDEX "cohort_hub_id_academic_year_idx" ON "cohort"("hub_id", "academic_year");

-- CreateIndex
CREATE INDEX "cohort_programme_id_academic_year_idx" ON "cohort"("programme_id", "academic_year");

-- CreateIndex
CREATE INDEX "cohort_region_id_idx" ON "cohort"("region_id");

-- CreateIndex
CREATE INDEX "cohort_academic_year_status_idx" ON "cohort"("academic_year", "status");

-- CreateIndex
CREATE INDEX "cohort_status_application_deadline_idx" ON "cohort"("status", "application_deadline");

-- CreateIndex
CREATE UNIQUE INDEX "participant_email_key" ON "participant"("email");

-- CreateIndex
CREATE INDEX "participant_school_id_idx" ON "participant"("school_id");

-- CreateIndex
CREATE INDEX "participant_name_idx" ON "participant" USING GIN ("name" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "participant_trn_idx" ON "participant"("trn");

-- CreateIndex
CREATE INDEX "enrolment_participant_id_idx" ON "enrolment"("participant_id");

-- CreateIndex
CREATE INDEX "enrolment_school_id_idx" ON "enrolment"("school_id");

-- CreateIndex
CREATE INDEX "enrolment_application_id_idx" ON "enrolment"("application_id");

-- CreateIndex
CREATE INDEX "enrolment_cohort_id_role_status_idx" ON "enrolment"("cohort_id", "role", "status");

-- CreateIndex
CREATE UNIQUE INDEX "enrolment_cohort_id_participant_id_key" ON "enrolment"("cohort_id", "participant_id");

-- CreateIndex
CREATE INDEX "application_school_id_idx" ON "application"("school_id");

-- CreateIndex
CREATE INDEX "application_cohort_id_status_idx" ON "application"("cohort_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "application_cohort_id_school_id_live_key" ON "application"("cohort_id", "school_id", "live");

-- CreateIndex
CREATE UNIQUE INDEX "application_advocate_application_id_position_key" ON "application_advocate"("application_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "session_cohort_id_starts_at_key" ON "session"("cohort_id", "starts_at");

-- CreateIndex
CREATE INDEX "attendance_enrolment_id_idx" ON "attendance"("enrolment_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_secret_hash_key" ON "api_key"("secret_hash");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_idx" ON "audit_log"("entity_type", "entity_id");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- AddForeignKey
ALTER TABLE "hub" ADD CONSTRAINT "hub_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hub_lead_organisation" ADD CONSTRAINT "hub_lead_organisation_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hub"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hub_predecessor" ADD CONSTRAINT "hub_predecessor_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hub_predecessor" ADD CONSTRAINT "hub_predecessor_successor_hub_id_fkey" FOREIGN KEY ("successor_hub_id") REFERENCES "hub"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "school" ADD CONSTRAINT "school_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hub"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "programme" ADD CONSTRAINT "programme_replaced_by_id_fkey" FOREIGN KEY ("replaced_by_id") REFERENCES "programme"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "programme_year" ADD CONSTRAINT "programme_year_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "programme_link" ADD CONSTRAINT "programme_link_from_id_fkey" FOREIGN KEY ("from_id") REFERENCES "programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "programme_link" ADD CONSTRAINT "programme_link_to_id_fkey" FOREIGN KEY ("to_id") REFERENCES "programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eligibility_rule" ADD CONSTRAINT "eligibility_rule_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "eligibility_rule" ADD CONSTRAINT "eligibility_rule_required_programme_id_fkey" FOREIGN KEY ("required_programme_id") REFERENCES "programme"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "funding_line" ADD CONSTRAINT "funding_line_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cohort" ADD CONSTRAINT "cohort_programme_id_fkey" FOREIGN KEY ("programme_id") REFERENCES "programme"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cohort" ADD CONSTRAINT "cohort_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hub"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cohort" ADD CONSTRAINT "cohort_region_id_fkey" FOREIGN KEY ("region_id") REFERENCES "region"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cohort" ADD CONSTRAINT "cohort_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "participant"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participant" ADD CONSTRAINT "participant_school_id_fkey" FOREIGN KEY ("school_id") REFERENCES "school"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrolment" ADD CONSTRAINT "enrolment_participant_id_fkey" FOREIGN KEY ("participant_id") REFERENCES "participant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrolment" ADD CONSTRAINT "enrolment_cohort_id_fkey" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrolment" ADD CONSTRAINT "enrolment_school_id_fkey" FOREIGN KEY ("school_id") REFERENCES "school"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enrolment" ADD CONSTRAINT "enrolment_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "application" ADD CONSTRAINT "application_cohort_id_fkey" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "application" ADD CONSTRAINT "application_school_id_fkey" FOREIGN KEY ("school_id") REFERENCES "school"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "application_advocate" ADD CONSTRAINT "application_advocate_application_id_fkey" FOREIGN KEY ("application_id") REFERENCES "application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_cohort_id_fkey" FOREIGN KEY ("cohort_id") REFERENCES "cohort"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "attendance" ADD CONSTRAINT "attendance_enrolment_id_fkey" FOREIGN KEY ("enrolment_id") REFERENCES "enrolment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hub"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_key"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ─────────────────────────────────────────────────────────────────────────────
-- Hand-written: rules Prisma's schema language cannot express. Prisma's diff neither creates nor
-- drops CHECK constraints, so later generated migrations leave these alone.
-- ─────────────────────────────────────────────────────────────────────────────

-- "2024/25": four digits, a slash, and the last two digits of the following year.
CREATE FUNCTION academic_year_is_valid(y text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT CASE WHEN y ~ '^[0-9]{4}/[0-9]{2}$'
                    THEN (substr(y, 1, 4)::int + 1) % 100 = substr(y, 6, 2)::int
                    ELSE false END $$;

-- A Teacher Reference Number is seven digits, or UQT for an unqualified teacher.
CREATE FUNCTION trn_is_valid(t text) RETURNS boolean
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT t ~ '^([0-9]{7}|UQT)$' $$;

ALTER TABLE "region" ADD CONSTRAINT "region_code_check" CHECK ("code" ~ '^[A-Z]{2}$');
ALTER TABLE "hub" ADD CONSTRAINT "hub_code_check" CHECK ("code" ~ '^[A-Z]{2}[0-9]{1,2}$');
ALTER TABLE "hub_lead_organisation" ADD CONSTRAINT "hub_lead_organisation_academic_year_check"
  CHECK (academic_year_is_valid("academic_year"));
ALTER TABLE "hub_predecessor" ADD CONSTRAINT "hub_predecessor_listed_in_check"
  CHECK (academic_year_is_valid("listed_in"));

ALTER TABLE "school" ADD CONSTRAINT "school_urn_check" CHECK ("urn" ~ '^[0-9]{6}$');
ALTER TABLE "school" ADD CONSTRAINT "school_postcode_check"
  CHECK ("postcode" ~ '^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$');

ALTER TABLE "programme" ADD CONSTRAINT "programme_slug_check" CHECK ("slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$');
ALTER TABLE "programme_year" ADD CONSTRAINT "programme_year_academic_year_check"
  CHECK (academic_year_is_valid("academic_year"));
ALTER TABLE "funding_line" ADD CONSTRAINT "funding_line_academic_year_check"
  CHECK (academic_year_is_valid("academic_year"));
ALTER TABLE "funding_line" ADD CONSTRAINT "funding_line_amount_check" CHECK ("amount_pence" >= 0);
ALTER TABLE "eligibility_rule" ADD CONSTRAINT "eligibility_rule_required_programme_check"
  CHECK (("kind" IN ('COMPLETED_PROGRAMME_PREVIOUS_YEAR', 'COMPLETED_PROGRAMME', 'SCHOOL_IN_PROGRAMME'))
         = ("required_programme_id" IS NOT NULL));

ALTER TABLE "cohort" ADD CONSTRAINT "cohort_code_check" CHECK ("code" ~ '^[A-Z0-9]+(-[A-Z0-9]+)*$');
ALTER TABLE "cohort" ADD CONSTRAINT "cohort_academic_year_check" CHECK (academic_year_is_valid("academic_year"));
ALTER TABLE "cohort" ADD CONSTRAINT "cohort_capacity_check" CHECK ("capacity" >= 0);
-- The last line of defence against overfilling a cohort under concurrent decisions.
ALTER TABLE "cohort" ADD CONSTRAINT "cohort_places_taken_check"
  CHECK ("places_taken" >= 0 AND "places_taken" <= "capacity");
ALTER TABLE "cohort" ADD CONSTRAINT "cohort_dates_check" CHECK ("ends_on" >= "starts_on");

ALTER TABLE "participant" ADD CONSTRAINT "participant_trn_check" CHECK (trn_is_valid("trn"));
ALTER TABLE "participant" ADD CONSTRAINT "participant_years_teaching_check" CHECK ("years_teaching" >= 0);
ALTER TABLE "participant" ADD CONSTRAINT "participant_email_check" CHECK ("email" ~ '^[^@[:space:]]+@[^@[:space:]]+$');

ALTER TABLE "application" ADD CONSTRAINT "application_head_of_department_trn_check"
  CHECK (trn_is_valid("head_of_department_trn"));
-- `live` is TRUE exactly while the application is live, NULL otherwise (see schema.prisma).
ALTER TABLE "application" ADD CONSTRAINT "application_live_check"
  CHECK ("live" AND ("status" IN ('SUBMITTED', 'WAITLISTED', 'ACCEPTED'))
         OR "live" IS NULL AND ("status" IN ('DECLINED', 'WITHDRAWN')));
ALTER TABLE "application_advocate" ADD CONSTRAINT "application_advocate_trn_check" CHECK (trn_is_valid("trn"));

ALTER TABLE "session" ADD CONSTRAINT "session_duration_check" CHECK ("duration_minutes" > 0);

-- A hub is given for, and only for, hub staff keys.
ALTER TABLE "api_key" ADD CONSTRAINT "api_key_hub_scope_check" CHECK (("role" = 'HUB_STAFF') = ("hub_id" IS NOT NULL));
