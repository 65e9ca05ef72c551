-- AlterTable
ALTER TABLE "enrolment" ADD COLUMN     "record_key" INTEGER NOT NULL DEFAULT (floor(random() * 16777216))::integer;
