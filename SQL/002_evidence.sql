-- Schools, subjects, staff, load batches, evidence records and their ratings.

-- Names match case-insensitively (name_key = lower(trimmed name)); the first spelling seen is kept.
CREATE TABLE qa.school (
    school_id   serial PRIMARY KEY,
    name        text NOT NULL,
    name_key    text NOT NULL UNIQUE,
    urn         text CHECK (urn ~ '^[0-9]{6}$'),
    phase       text CHECK (phase IN ('primary', 'secondary', 'all-through', 'special')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_batch bigint
);

CREATE TABLE qa.subject (
    subject_id  serial PRIMARY KEY,
    name        text NOT NULL,
    name_key    text NOT NULL UNIQUE,
    department  text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_batch bigint
);

-- A member of teaching staff. staff_key is the source system's staff id when there is one,
-- else 'name:' and the lower-cased name, so the same person is one row across loads.
CREATE TABLE qa.staff (
    staff_id    serial PRIMARY KEY,
    staff_key   text NOT NULL UNIQUE,
    external_id text,
    name        text,
    role        text,
    school_id   integer REFERENCES qa.school,
    created_at  timestamptz NOT NULL DEFAULT now(),
    created_batch bigint
);

CREATE TABLE qa.load_batch (
    batch_id    bigserial PRIMARY KEY,
    source      text NOT NULL,
    file_name   text NOT NULL,
    file_size   bigint,
    sha256      text,
    format      text NOT NULL,
    snapshot    boolean NOT NULL DEFAULT false,
    dry_run     boolean NOT NULL DEFAULT false,
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    rows_read   bigint NOT NULL DEFAULT 0,
    inserted    bigint NOT NULL DEFAULT 0,
    updated     bigint NOT NULL DEFAULT 0,
    unchanged   bigint NOT NULL DEFAULT 0,
    rejected    bigint NOT NULL DEFAULT 0,
    withdrawn   bigint NOT NULL DEFAULT 0,
    status      text NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'succeeded', 'succeeded_with_rejects', 'failed', 'aborted', 'interrupted', 'dry_run')),
    message     text,
    loaded_by   text NOT NULL DEFAULT current_user,
    -- Every row read is accounted for, once the load has finished.
    CONSTRAINT every_row_accounted_for CHECK (
        status IN ('running', 'failed', 'aborted', 'interrupted')
        OR rows_read = inserted + updated + unchanged + rejected)
);

CREATE INDEX load_batch_source_finished ON qa.load_batch (source, finished_at DESC);

-- The evidence and rating tables carry no foreign keys: PostgreSQL checks a foreign key row by row
-- with a trigger, which made bulk loads several times slower. Their ids are set only by the loader's
-- set-based merge, which takes them from joins on these very tables, and `qa-analytics check` verifies
-- that no id points nowhere.
CREATE TABLE qa.evidence (
    evidence_pk            bigserial PRIMARY KEY,
    source                 text NOT NULL,
    evidence_id            text NOT NULL,
    school_id              integer NOT NULL,
    subject_id             integer,
    staff_id               integer,
    observer               text,
    activity               text NOT NULL CHECK (activity IN ('lesson_visit', 'work_scrutiny', 'pupil_discussion',
                               'subject_leader_discussion', 'deep_dive', 'curriculum_plan_review', 'peer_review',
                               'informal_feedback')),
    activity_date          date NOT NULL CHECK (activity_date >= DATE '2000-01-01'),
    verbal_feedback_date   date CHECK (verbal_feedback_date >= activity_date),
    written_feedback_date  date CHECK (written_feedback_date >= activity_date),
    -- Start year of the academic year (1 September): 2022 for 2022/23.
    academic_year          smallint NOT NULL,
    -- The term the activity fell in (qa.term_of): set by the loader, recomputed by `calendar load`,
    -- so queries never evaluate the calendar once per row.
    term                   text NOT NULL CHECK (term IN ('autumn', 'spring', 'summer')),
    year_groups            smallint[] NOT NULL DEFAULT '{}',
    cohorts                text[] NOT NULL DEFAULT '{}',
    strengths              text,
    areas_for_development  text,
    next_steps             text,
    deep_dive_id           text,
    -- md5 of the record's content as loaded: an unchanged record is recognised without comparing every column.
    content_hash           text NOT NULL,
    first_batch            bigint NOT NULL,
    last_batch             bigint NOT NULL,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    -- Set by a --snapshot load that no longer lists the record: excluded from analysis, never deleted.
    withdrawn_at           timestamptz,
    withdrawn_batch        bigint,
    UNIQUE (source, evidence_id)
);

CREATE INDEX evidence_school_date ON qa.evidence (school_id, activity_date) WHERE withdrawn_at IS NULL;
CREATE INDEX evidence_subject ON qa.evidence (subject_id) WHERE withdrawn_at IS NULL;
CREATE INDEX evidence_staff ON qa.evidence (staff_id, activity_date) WHERE withdrawn_at IS NULL;
CREATE INDEX evidence_deep_dive ON qa.evidence (deep_dive_id) WHERE deep_dive_id IS NOT NULL;

CREATE TABLE qa.rating (
    evidence_pk  bigint NOT NULL,
    standard     smallint NOT NULL CHECK (standard BETWEEN 1 AND 12),
    rating       qa.ragg NOT NULL,
    PRIMARY KEY (evidence_pk, standard)
);

CREATE INDEX rating_standard ON qa.rating (standard, rating);

-- Earlier versions of records that a later load changed: what the record said, and until when.
CREATE TABLE qa.evidence_history (
    history_id     bigserial PRIMARY KEY,
    evidence_pk    bigint NOT NULL,
    source         text NOT NULL,
    evidence_id    text NOT NULL,
    replaced_batch bigint NOT NULL,
    replaced_at    timestamptz NOT NULL DEFAULT now(),
    previous       jsonb NOT NULL
);

CREATE INDEX evidence_history_record ON qa.evidence_history (source, evidence_id);

-- Rows a load refused, with the reason, so they can be fixed and reloaded.
CREATE TABLE qa.load_reject (
    batch_id     bigint NOT NULL REFERENCES qa.load_batch ON DELETE CASCADE,
    line         integer NOT NULL,
    column_name  text,
    reason       text NOT NULL,
    evidence_id  text,
    original     text NOT NULL,
    PRIMARY KEY (batch_id, line)
);

CREATE TABLE qa.load_warning (
    batch_id     bigint NOT NULL REFERENCES qa.load_batch ON DELETE CASCADE,
    line         integer,
    column_name  text,
    message      text NOT NULL
);

CREATE INDEX load_warning_batch ON qa.load_warning (batch_id);
