-- CreateEnum
CREATE TYPE "SchoolStatus" AS ENUM ('OPEN', 'OPEN_PROPOSED_TO_CLOSE', 'PROPOSED_TO_OPEN', 'CLOSED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "SchoolPhase" ADD VALUE 'NURSERY';
ALTER TYPE "SchoolPhase" ADD VALUE 'MIDDLE_DEEMED_PRIMARY';
ALTER TYPE "SchoolPhase" ADD VALUE 'MIDDLE_DEEMED_SECONDARY';

-- AlterEnum
ALTER TYPE "SchoolType" ADD VALUE 'OTHER';

-- AlterTable
ALTER TABLE "school" ADD COLUMN     "closed_on" DATE,
ADD COLUMN     "establishment_type" TEXT,
ADD COLUMN     "local_authority_code" TEXT,
ADD COLUMN     "opened_on" DATE,
ADD COLUMN     "status" "SchoolStatus" NOT NULL DEFAULT 'OPEN',
ADD COLUMN     "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ALTER COLUMN "postcode" DROP NOT NULL;

-- CreateTable
CREATE TABLE "hub_area" (
    "local_authority_code" TEXT NOT NULL,
    "local_authority" TEXT NOT NULL,
    "hub_id" INTEGER NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "hub_area_pkey" PRIMARY KEY ("local_authority_code")
);

-- CreateTable
CREATE TABLE "school_link" (
    "predecessor_urn" TEXT NOT NULL,
    "successor_urn" TEXT NOT NULL,
    "link_type" TEXT NOT NULL,
    "linked_on" DATE,

    CONSTRAINT "school_link_pkey" PRIMARY KEY ("predecessor_urn","successor_urn")
);

-- CreateIndex
CREATE INDEX "hub_area_hub_id_idx" ON "hub_area"("hub_id");

-- CreateIndex
CREATE INDEX "school_link_successor_urn_idx" ON "school_link"("successor_urn");

-- CreateIndex
CREATE INDEX "school_local_authority_code_idx" ON "school"("local_authority_code");

-- CreateIndex
CREATE INDEX "school_status_idx" ON "school"("status");

-- AddForeignKey
ALTER TABLE "hub_area" ADD CONSTRAINT "hub_area_hub_id_fkey" FOREIGN KEY ("hub_id") REFERENCES "hub"("id") ON DELETE CASCADE ON UPDATE CASCADE;
