-- The ratings each triangulation row gives, kept beside its counts as the bits the queries read
-- (`TriangulationRatings`: a bit for each activity and rating given, 4 x the activity's place + score - 1). The
-- queries worked them out from the counts for every row they read, an expression of 32 terms (each activity's
-- lowest and highest rating, 8 terms, for the year table): at 3 million records a year's triangulation spent
-- 0.1-0.18 s of its 0.65-0.8 s in PostgreSQL on it, and a table of the month counts with the bits kept answered
-- mid-February to mid-May the same rows in 1.18-1.2 s against 1.2-1.43 s (by hand, noisy).
--
-- Generated columns: PostgreSQL works a row's bits out whenever the loads write or update it. The loads' statements
-- give the other columns in order or by name, the names of the counts from qa.triangulation_count_columns(), which
-- read every column of the summary after its key and so would now name the bits too: restated below to leave
-- generated columns out. Adding the columns rewrites the three tables (about 850 MB at 3 million records).
CREATE OR REPLACE FUNCTION qa.triangulation_count_columns() RETURNS name[]
    LANGUAGE sql STABLE
    RETURN (SELECT array_agg(a.attname ORDER BY a.attnum) FROM pg_attribute a
             WHERE a.attrelid = 'qa.triangulation_summary'::regclass AND a.attnum > 6 AND NOT a.attisdropped
               AND a.attgenerated = '');

ALTER TABLE qa.triangulation_summary ADD COLUMN ratings bigint GENERATED ALWAYS AS (
        CASE WHEN lesson_visit_red > 0 THEN 1::bigint ELSE 0 END |
        CASE WHEN lesson_visit_amber > 0 THEN 2::bigint ELSE 0 END |
        CASE WHEN lesson_visit_green > 0 THEN 4::bigint ELSE 0 END |
        CASE WHEN lesson_visit_gold > 0 THEN 8::bigint ELSE 0 END |
        CASE WHEN work_scrutiny_red > 0 THEN 16::bigint ELSE 0 END |
        CASE WHEN work_scrutiny_amber > 0 THEN 32::bigint ELSE 0 END |
        CASE WHEN work_scrutiny_green > 0 THEN 64::bigint ELSE 0 END |
        CASE WHEN work_scrutiny_gold > 0 THEN 128::bigint ELSE 0 END |
        CASE WHEN pupil_discussion_red > 0 THEN 256::bigint ELSE 0 END |
        CASE WHEN pupil_discussion_amber > 0 THEN 512::bigint ELSE 0 END |
        CASE WHEN pupil_discussion_green > 0 THEN 1024::bigint ELSE 0 END |
        CASE WHEN pupil_discussion_gold > 0 THEN 2048::bigint ELSE 0 END |
        CASE WHEN subject_leader_discussion_red > 0 THEN 4096::bigint ELSE 0 END |
        CASE WHEN subject_leader_discussion_amber > 0 THEN 8192::bigint ELSE 0 END |
        CASE WHEN subject_leader_discussion_green > 0 THEN 16384::bigint ELSE 0 END |
        CASE WHEN subject_leader_discussion_gold > 0 THEN 32768::bigint ELSE 0 END |
        CASE WHEN deep_dive_red > 0 THEN 65536::bigint ELSE 0 END |
        CASE WHEN deep_dive_amber > 0 THEN 131072::bigint ELSE 0 END |
        CASE WHEN deep_dive_green > 0 THEN 262144::bigint ELSE 0 END |
        CASE WHEN deep_dive_gold > 0 THEN 524288::bigint ELSE 0 END |
        CASE WHEN curriculum_plan_review_red > 0 THEN 1048576::bigint ELSE 0 END |
        CASE WHEN curriculum_plan_review_amber > 0 THEN 2097152::bigint ELSE 0 END |
        CASE WHEN curriculum_plan_review_green > 0 THEN 4194304::bigint ELSE 0 END |
        CASE WHEN curriculum_plan_review_gold > 0 THEN 8388608::bigint ELSE 0 END |
        CASE WHEN peer_review_red > 0 THEN 16777216::bigint ELSE 0 END |
        CASE WHEN peer_review_amber > 0 THEN 33554432::bigint ELSE 0 END |
        CASE WHEN peer_review_green > 0 THEN 67108864::bigint ELSE 0 END |
        CASE WHEN peer_review_gold > 0 THEN 134217728::bigint ELSE 0 END |
        CASE WHEN informal_feedback_red > 0 THEN 268435456::bigint ELSE 0 END |
        CASE WHEN informal_feedback_amber > 0 THEN 536870912::bigint ELSE 0 END |
        CASE WHEN informal_feedback_green > 0 THEN 1073741824::bigint ELSE 0 END |
        CASE WHEN informal_feedback_gold > 0 THEN 2147483648::bigint ELSE 0 END
    ) STORED;

ALTER TABLE qa.triangulation_month ADD COLUMN ratings bigint GENERATED ALWAYS AS (
        CASE WHEN lesson_visit_red > 0 THEN 1::bigint ELSE 0 END |
        CASE WHEN lesson_visit_amber > 0 THEN 2::bigint ELSE 0 END |
        CASE WHEN lesson_visit_green > 0 THEN 4::bigint ELSE 0 END |
        CASE WHEN lesson_visit_gold > 0 THEN 8::bigint ELSE 0 END |
        CASE WHEN work_scrutiny_red > 0 THEN 16::bigint ELSE 0 END |
        CASE WHEN work_scrutiny_amber > 0 THEN 32::bigint ELSE 0 END |
        CASE WHEN work_scrutiny_green > 0 THEN 64::bigint ELSE 0 END |
        CASE WHEN work_scrutiny_gold > 0 THEN 128::bigint ELSE 0 END |
        CASE WHEN pupil_discussion_red > 0 THEN 256::bigint ELSE 0 END |
        CASE WHEN pupil_discussion_amber > 0 THEN 512::bigint ELSE 0 END |
        CASE WHEN pupil_discussion_green > 0 THEN 1024::bigint ELSE 0 END |
        CASE WHEN pupil_discussion_gold > 0 THEN 2048::bigint ELSE 0 END |
        CASE WHEN subject_leader_discussion_red > 0 THEN 4096::bigint ELSE 0 END |
        CASE WHEN subject_leader_discussion_amber > 0 THEN 8192::bigint ELSE 0 END |
        CASE WHEN subject_leader_discussion_green > 0 THEN 16384::bigint ELSE 0 END |
        CASE WHEN subject_leader_discussion_gold > 0 THEN 32768::bigint ELSE 0 END |
        CASE WHEN deep_dive_red > 0 THEN 65536::bigint ELSE 0 END |
        CASE WHEN deep_dive_amber > 0 THEN 131072::bigint ELSE 0 END |
        CASE WHEN deep_dive_green > 0 THEN 262144::bigint ELSE 0 END |
        CASE WHEN deep_dive_gold > 0 THEN 524288::bigint ELSE 0 END |
        CASE WHEN curriculum_plan_review_red > 0 THEN 1048576::bigint ELSE 0 END |
        CASE WHEN curriculum_plan_review_amber > 0 THEN 2097152::bigint ELSE 0 END |
        CASE WHEN curriculum_plan_review_green > 0 THEN 4194304::bigint ELSE 0 END |
        CASE WHEN curriculum_plan_review_gold > 0 THEN 8388608::bigint ELSE 0 END |
        CASE WHEN peer_review_red > 0 THEN 16777216::bigint ELSE 0 END |
        CASE WHEN peer_review_amber > 0 THEN 33554432::bigint ELSE 0 END |
        CASE WHEN peer_review_green > 0 THEN 67108864::bigint ELSE 0 END |
        CASE WHEN peer_review_gold > 0 THEN 134217728::bigint ELSE 0 END |
        CASE WHEN informal_feedback_red > 0 THEN 268435456::bigint ELSE 0 END |
        CASE WHEN informal_feedback_amber > 0 THEN 536870912::bigint ELSE 0 END |
        CASE WHEN informal_feedback_green > 0 THEN 1073741824::bigint ELSE 0 END |
        CASE WHEN informal_feedback_gold > 0 THEN 2147483648::bigint ELSE 0 END
    ) STORED;

ALTER TABLE qa.triangulation_year ADD COLUMN ratings bigint GENERATED ALWAYS AS (
        coalesce((1::bigint << (-1 + lesson_visit_low)) | (1::bigint << (-1 + lesson_visit_high)), 0) |
        coalesce((1::bigint << (3 + work_scrutiny_low)) | (1::bigint << (3 + work_scrutiny_high)), 0) |
        coalesce((1::bigint << (7 + pupil_discussion_low)) | (1::bigint << (7 + pupil_discussion_high)), 0) |
        coalesce((1::bigint << (11 + subject_leader_discussion_low)) |
        (1::bigint << (11 + subject_leader_discussion_high)), 0) | coalesce((1::bigint << (15 + deep_dive_low)) |
        (1::bigint << (15 + deep_dive_high)), 0) | coalesce((1::bigint << (19 + curriculum_plan_review_low)) |
        (1::bigint << (19 + curriculum_plan_review_high)), 0) | coalesce((1::bigint << (23 + peer_review_low)) |
        (1::bigint << (23 + peer_review_high)), 0) | coalesce((1::bigint << (27 + informal_feedback_low)) |
        (1::bigint << (27 + informal_feedback_high)), 0)
    ) STORED;
