-- Reference data from the trust's Quality Assurance Policy: the 12 standards (section 5),
-- the RAGG* scale (7.2) and the QA activities (section 6).
CREATE SCHEMA IF NOT EXISTS qa;

-- RAGG* as an ordered type: worst to best, so red < amber < green < gold and MIN/MAX/ORDER BY work.
CREATE TYPE qa.ragg AS ENUM ('red', 'amber', 'green', 'gold');

-- Red 1 ... Gold 4: the score used for means.
CREATE FUNCTION qa.ragg_score(r qa.ragg) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE r WHEN 'red' THEN 1 WHEN 'amber' THEN 2 WHEN 'green' THEN 3 WHEN 'gold' THEN 4 END;

CREATE TABLE qa.standard (
    number      smallint PRIMARY KEY CHECK (number BETWEEN 1 AND 12),
    short_name  text NOT NULL UNIQUE,
    title       text NOT NULL
);

INSERT INTO qa.standard (number, short_name, title) VALUES
 (1,  'Behaviour',            'Secure high standards of behaviour from all pupils'),
 (2,  'Attitudes',            'Encourage all pupils to adopt positive, respectful attitudes'),
 (3,  'Safeguarding',         'Ensure that pupils are kept safe from harm, in school and beyond'),
 (4,  'Equality & diversity', 'Promote equal opportunities & respect diversity'),
 (5,  'Ambitious curriculum', 'Adapt, design or develop a curriculum that is ambitious for all pupils, including the disadvantaged and those with SEND'),
 (6,  'Subject knowledge',    'Demonstrate and develop good subject and course knowledge'),
 (7,  'Curriculum delivery',  'Deliver curriculum content skilfully'),
 (8,  'Remembering',          'Help pupils to remember curriculum content'),
 (9,  'Assessment',           'Use assessment effectively'),
 (10, 'Achievement',          'Help all pupils, including the disadvantaged and those with SEND, to achieve well'),
 (11, 'Personal development', 'Contribute to pupils'' personal development'),
 (12, 'Reading & maths',      'Support learning in English, particularly reading, and mathematics');

CREATE TABLE qa.activity_type (
    code                 text PRIMARY KEY,
    name                 text NOT NULL UNIQUE,
    requires_subject     boolean NOT NULL,
    -- "only 3 or 4 standards will be focussed upon in each visit" (6.27); NULL where the policy sets no limit.
    max_rated_standards  smallint,
    focus_standards      smallint[] NOT NULL DEFAULT '{}'
);

INSERT INTO qa.activity_type (code, name, requires_subject, max_rated_standards, focus_standards) VALUES
 ('lesson_visit',              'lesson visit',              true,  4,    '{}'),
 ('work_scrutiny',             'work scrutiny',             true,  NULL, '{5,6,7,8,9,10}'),
 ('pupil_discussion',          'pupil discussion',          true,  NULL, '{3,5,6,7,8,9,10}'),
 ('subject_leader_discussion', 'subject leader discussion', true,  NULL, '{}'),
 ('deep_dive',                 'deep dive',                 true,  NULL, '{}'),
 ('curriculum_plan_review',    'curriculum plan review',    true,  NULL, '{}'),
 ('peer_review',               'peer review',               false, NULL, '{}'),
 ('informal_feedback',         'informal feedback',         true,  NULL, '{}');

-- Cohorts leaders compare (6.16, 6.17, 6.21); a load adds any other group a school tracks.
CREATE TABLE qa.cohort (
    name        text PRIMARY KEY,
    name_key    text NOT NULL UNIQUE
);

INSERT INTO qa.cohort (name, name_key) VALUES
 ('SEND', 'send'), ('Disadvantaged', 'disadvantaged'), ('Non-disadvantaged', 'non-disadvantaged'),
 ('Boys', 'boys'), ('Girls', 'girls'), ('Key cohort', 'key cohort'), ('EAL', 'eal');
