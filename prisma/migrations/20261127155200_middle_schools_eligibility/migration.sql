-- The register says whether a middle school is deemed primary or secondary; rules that admitted
-- middle schools admit both kinds. (Its own migration: a new enum value cannot be used in the
-- transaction that adds it.)
UPDATE "eligibility_rule"
   SET "school_phases" = "school_phases" || ARRAY['MIDDLE_DEEMED_PRIMARY', 'MIDDLE_DEEMED_SECONDARY']::"SchoolPhase"[]
 WHERE 'MIDDLE' = ANY ("school_phases")
   AND NOT ('MIDDLE_DEEMED_PRIMARY' = ANY ("school_phases"));
