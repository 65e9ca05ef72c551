-- Per-enrolment attendance counts, so statistics read two integers per enrolment instead of
-- grouping every attendance row in the country on each request.
ALTER TABLE "enrolment" ADD COLUMN     "sessions_present" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sessions_recorded" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "enrolment" ADD CONSTRAINT "enrolment_sessions_check"
  CHECK ("sessions_present" >= 0 AND "sessions_present" <= "sessions_recorded");

-- Kept by statement-level triggers with transition tables: every write path (the API, the seeds'
-- bulk INSERT ... SELECT, cascading deletes) updates the counts in its own transaction, and a bulk
-- load costs one grouped UPDATE rather than one per row. The enrolments are locked in id order
-- first, so two writers touching the same enrolments cannot deadlock.
CREATE FUNCTION enrolment_attendance_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The same delta, (enrolment, +1 or -1, status), from the transition tables each event has.
  IF TG_OP = 'INSERT' THEN
    PERFORM 1 FROM enrolment WHERE id IN (SELECT enrolment_id FROM new_attendance) ORDER BY id FOR UPDATE;
    UPDATE enrolment e SET sessions_recorded = e.sessions_recorded + d.recorded,
                           sessions_present = e.sessions_present + d.present
      FROM (SELECT enrolment_id, sum(sign) AS recorded, coalesce(sum(sign) FILTER (WHERE status = 'PRESENT'), 0) AS present
              FROM (SELECT enrolment_id, 1 AS sign, status FROM new_attendance) c GROUP BY enrolment_id) d
     WHERE e.id = d.enrolment_id AND (d.recorded <> 0 OR d.present <> 0);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM 1 FROM enrolment WHERE id IN (SELECT enrolment_id FROM old_attendance) ORDER BY id FOR UPDATE;
    UPDATE enrolment e SET sessions_recorded = e.sessions_recorded + d.recorded,
                           sessions_present = e.sessions_present + d.present
      FROM (SELECT enrolment_id, sum(sign) AS recorded, coalesce(sum(sign) FILTER (WHERE status = 'PRESENT'), 0) AS present
              FROM (SELECT enrolment_id, -1 AS sign, status FROM old_attendance) c GROUP BY enrolment_id) d
     WHERE e.id = d.enrolment_id AND (d.recorded <> 0 OR d.present <> 0);
  ELSE
    PERFORM 1 FROM enrolment WHERE id IN (SELECT enrolment_id FROM new_attendance UNION SELECT enrolment_id FROM old_attendance) ORDER BY id FOR UPDATE;
    UPDATE enrolment e SET sessions_recorded = e.sessions_recorded + d.recorded,
                           sessions_present = e.sessions_present + d.present
      FROM (SELECT enrolment_id, sum(sign) AS recorded, coalesce(sum(sign) FILTER (WHERE status = 'PRESENT'), 0) AS present
              FROM (SELECT enrolment_id, 1 AS sign, status FROM new_attendance UNION ALL SELECT enrolment_id, -1, status FROM old_attendance) c GROUP BY enrolment_id) d
     WHERE e.id = d.enrolment_id AND (d.recorded <> 0 OR d.present <> 0);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER attendance_counts_insert AFTER INSERT ON attendance
  REFERENCING NEW TABLE AS new_attendance FOR EACH STATEMENT EXECUTE FUNCTION enrolment_attendance_counts();
CREATE TRIGGER attendance_counts_update AFTER UPDATE ON attendance
  REFERENCING OLD TABLE AS old_attendance NEW TABLE AS new_attendance FOR EACH STATEMENT EXECUTE FUNCTION enrolment_attendance_counts();
CREATE TRIGGER attendance_counts_delete AFTER DELETE ON attendance
  REFERENCING OLD TABLE AS old_attendance FOR EACH STATEMENT EXECUTE FUNCTION enrolment_attendance_counts();

-- What is already recorded.
UPDATE enrolment e SET sessions_recorded = a.recorded, sessions_present = a.present
  FROM (SELECT enrolment_id, count(*) AS recorded, count(*) FILTER (WHERE status = 'PRESENT') AS present
          FROM attendance GROUP BY enrolment_id) a
 WHERE e.id = a.enrolment_id;
