-- Who may see what (policy section 3): information about an individual goes to that individual,
-- their line manager(s) and the relevant school or trust leadership teams only.
--
-- Group roles (NOLOGIN); people and programs log in as their own login roles, made members with
-- `qa-analytics access grant`:
--   qa_owner          runs migrations; owns nothing it cannot change
--   qa_loader         loads files: writes evidence, cannot read ratings
--   qa_trust_leader   reads everything
--   qa_school_leader  reads everything about its own school(s) only (row-level security)
--   qa_analyst        reads aggregates and pseudonymised staff keys: no names, no free text
-- Roles belong to the whole server, so they are created only where missing.
DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['qa_owner', 'qa_loader', 'qa_trust_leader', 'qa_school_leader', 'qa_analyst'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
        END IF;
    END LOOP;
END
$$;

-- Which schools a school leader's login may see.
CREATE TABLE qa.school_access (
    login      name NOT NULL,
    school_id  integer NOT NULL REFERENCES qa.school ON DELETE CASCADE,
    granted_at timestamptz NOT NULL DEFAULT now(),
    granted_by name NOT NULL DEFAULT current_user,
    PRIMARY KEY (login, school_id)
);

-- The schools the current login may see: all for everyone but a school leader.
CREATE FUNCTION qa.visible_school(school integer) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    RETURN NOT pg_has_role(current_user, 'qa_school_leader', 'MEMBER')
        OR pg_has_role(current_user, 'qa_trust_leader', 'MEMBER')
        OR EXISTS (SELECT 1 FROM qa.school_access a WHERE a.login = current_user AND a.school_id = school);

GRANT USAGE ON SCHEMA qa TO qa_owner, qa_loader, qa_trust_leader, qa_school_leader, qa_analyst;
GRANT ALL ON ALL TABLES IN SCHEMA qa TO qa_owner;
GRANT ALL ON ALL SEQUENCES IN SCHEMA qa TO qa_owner;
GRANT CREATE ON SCHEMA qa TO qa_owner;

-- Reference data: everyone may read it.
GRANT SELECT ON qa.standard, qa.activity_type, qa.cohort, qa.term_date, qa.closure_day
    TO qa_loader, qa_trust_leader, qa_school_leader, qa_analyst;

-- Leaders read every table; row-level security below narrows a school leader to its schools.
GRANT SELECT ON ALL TABLES IN SCHEMA qa TO qa_trust_leader, qa_school_leader;

-- The loader writes records and their ratings but may read only what the merge needs to match
-- records (ids and content hashes), never a rating.
GRANT SELECT, INSERT, UPDATE ON qa.school, qa.subject, qa.staff, qa.evidence, qa.load_batch TO qa_loader;
GRANT INSERT ON qa.cohort, qa.load_reject, qa.load_warning, qa.evidence_history TO qa_loader;
GRANT SELECT ON qa.cohort TO qa_loader;
GRANT INSERT, DELETE ON qa.rating TO qa_loader;
GRANT SELECT (evidence_pk) ON qa.rating TO qa_loader;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA qa TO qa_loader;

-- The analyst: aggregates, the evidence without free text or observers' names, staff without names.
GRANT SELECT ON qa.rating, qa.school, qa.subject, qa.rating_summary, qa.rating_cohort_summary,
    qa.rating_year_group_summary, qa.rating_staff_summary, qa.load_batch TO qa_analyst;
-- evidence_id is the source system's record key: no name, and needed to count and group records.
GRANT SELECT (evidence_pk, evidence_id, source, school_id, subject_id, staff_id, activity, activity_date,
              verbal_feedback_date, written_feedback_date, academic_year, term, year_groups, cohorts, deep_dive_id,
              withdrawn_at)
    ON qa.evidence TO qa_analyst;
GRANT SELECT (staff_id, role, school_id) ON qa.staff TO qa_analyst;

-- A stable pseudonym for a staff member: the same person has the same key in every export,
-- and the key cannot be turned back into a name without the staff table.
CREATE FUNCTION qa.staff_pseudonym(staff integer) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN 'S' || lpad(staff::text, 5, '0');

-- Row-level security on every table holding a school's data. A school leader sees rows of its
-- schools; every other qa role sees all rows (their table grants limit them instead).
CREATE FUNCTION qa.protect_by_school(target regclass, school_expression text) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', target);
    EXECUTE format('CREATE POLICY school_leader_rows ON %s FOR SELECT TO qa_school_leader USING (%s)',
                   target, school_expression);
    EXECUTE format('CREATE POLICY other_roles_rows ON %s TO qa_owner, qa_loader, qa_trust_leader, qa_analyst '
                   'USING (true) WITH CHECK (true)', target);
END
$$;

SELECT qa.protect_by_school('qa.school', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.staff', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.evidence', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.rating',
    'EXISTS (SELECT 1 FROM qa.evidence e WHERE e.evidence_pk = rating.evidence_pk)');
SELECT qa.protect_by_school('qa.evidence_history',
    'EXISTS (SELECT 1 FROM qa.evidence e WHERE e.evidence_pk = evidence_history.evidence_pk)');
SELECT qa.protect_by_school('qa.rating_summary', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.rating_staff_summary', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.rating_cohort_summary', 'qa.visible_school(school_id)');
SELECT qa.protect_by_school('qa.rating_year_group_summary', 'qa.visible_school(school_id)');
-- Rejected rows and warnings name schools and people across the trust: not for school leaders.
REVOKE SELECT ON qa.load_reject, qa.load_warning FROM qa_school_leader;

-- A school leader sees only its own access rows.
ALTER TABLE qa.school_access ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON qa.school_access FOR SELECT TO qa_school_leader USING (login = current_user);
CREATE POLICY other_roles_rows ON qa.school_access TO qa_owner, qa_trust_leader USING (true) WITH CHECK (true);

-- Steps of the load that must read ratings run with the owner's rights, so the loader itself never can.
ALTER FUNCTION qa.refresh_summaries() SECURITY DEFINER SET search_path = pg_catalog, pg_temp;

-- Keeps the previous version of every record this load changes (listed in the load's temporary
-- table `incoming`), with its ratings.
CREATE FUNCTION qa.keep_history(batch bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    kept bigint;
BEGIN
    INSERT INTO qa.evidence_history (evidence_pk, source, evidence_id, replaced_batch, previous)
    SELECT e.evidence_pk, e.source, e.evidence_id, batch,
           to_jsonb(e) || jsonb_build_object('ratings',
               (SELECT coalesce(jsonb_object_agg(r.standard, r.rating), '{}') FROM qa.rating r
                 WHERE r.evidence_pk = e.evidence_pk))
      FROM qa.evidence e
     WHERE e.evidence_pk IN (SELECT i.evidence_pk FROM pg_temp.incoming i WHERE i.change = 'changed');
    GET DIAGNOSTICS kept = ROW_COUNT;
    RETURN kept;
END
$$;
REVOKE EXECUTE ON FUNCTION qa.keep_history(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION qa.keep_history(bigint) TO qa_loader;
REVOKE EXECUTE ON FUNCTION qa.refresh_summaries() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION qa.refresh_summaries() TO qa_loader, qa_owner;

-- Adds or removes a login's membership of one of the qa roles. The login name reaches SQL as a bound
-- value and becomes an identifier only through format('%I'); the role must be one of the closed list.
-- Run by an administrator (CREATEROLE), never by the qa roles themselves.
CREATE FUNCTION qa.manage_login(action text, login text, group_role text) RETURNS void
    LANGUAGE plpgsql AS $$
BEGIN
    IF group_role NOT IN ('qa_owner', 'qa_loader', 'qa_trust_leader', 'qa_school_leader', 'qa_analyst') THEN
        RAISE EXCEPTION 'unknown qa role "%"', group_role USING ERRCODE = '22023';
    END IF;
    IF login IS NULL OR login = '' OR login LIKE 'pg\_%' OR login LIKE 'qa\_%' THEN
        RAISE EXCEPTION 'login name "%" is not allowed (empty, or a reserved pg_ / qa_ prefix)', login
            USING ERRCODE = '22023';
    END IF;
    IF action = 'grant' THEN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', login);
        END IF;
        EXECUTE format('GRANT %I TO %I', group_role, login);
    ELSIF action = 'revoke' THEN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = login) THEN
            RAISE EXCEPTION 'there is no login named "%"', login USING ERRCODE = '42704';
        END IF;
        EXECUTE format('REVOKE %I FROM %I', group_role, login);
        IF group_role = 'qa_school_leader' THEN
            DELETE FROM qa.school_access a WHERE a.login = manage_login.login;
        END IF;
    ELSE
        RAISE EXCEPTION 'unknown action "%"', action USING ERRCODE = '22023';
    END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION qa.manage_login(text, text, text) FROM PUBLIC;
