-- The casework rollup: per handling organisation, registration month and
-- kind of case, the counts the indicators sum (see the write path's
-- keepFacts), kept in the same transaction as each case's facts by the
-- difference a write makes. Counts only: no case, no person (domain.md §4).
-- metric is cases, handled, within_limit, mediated, agreement, performed,
-- confirmed, or rating:NAME, backlog:STATE, days:N, duty:PROFILE/RULE,
-- met:PROFILE/RULE, late:PROFILE/RULE.
CREATE TABLE case_rollup (
    org_id TEXT NOT NULL,
    month  TEXT NOT NULL,
    kind   TEXT NOT NULL,
    metric TEXT NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (org_id, month, kind, metric)
);
CREATE INDEX case_rollup_month ON case_rollup (month, org_id);

INSERT INTO case_rollup (org_id, month, kind, metric, n)
SELECT org_id, month, kind, metric, SUM(n) FROM (
    SELECT org_id, month, kind, 'cases' AS metric, 1 AS n FROM case_facts
    UNION ALL SELECT org_id, month, kind, 'handled', 1 FROM case_facts WHERE handled IS NOT NULL
    UNION ALL SELECT org_id, month, kind, 'within_limit', 1 FROM case_facts WHERE handled IS NOT NULL AND within_limit = 1
    UNION ALL SELECT org_id, month, kind, 'days:' || CAST(handling_days AS TEXT), 1 FROM case_facts WHERE handled IS NOT NULL
    UNION ALL SELECT org_id, month, kind, 'backlog:' || state, 1 FROM case_facts WHERE handled IS NULL
    UNION ALL SELECT org_id, month, kind,
        CASE WHEN rating IN ('satisfied', 'basically_satisfied') THEN 'rating:' || rating ELSE 'rating:dissatisfied' END, 1
        FROM case_facts WHERE rating <> ''
    UNION ALL SELECT org_id, month, kind, 'mediated', 1 FROM case_facts WHERE mediated = 1
    UNION ALL SELECT org_id, month, kind, 'agreement', 1 FROM case_facts WHERE agreement = 1
    UNION ALL SELECT org_id, month, kind, 'performed', 1 FROM case_facts WHERE performed = 1
    UNION ALL SELECT org_id, month, kind, 'confirmed', 1 FROM case_facts WHERE confirmed = 1
    UNION ALL SELECT org_id, month, kind, 'duty:' || profile || '/' || rule, 1 FROM case_duties
    UNION ALL SELECT org_id, month, kind, 'met:' || profile || '/' || rule, 1 FROM case_duties WHERE status = 'met'
    UNION ALL SELECT org_id, month, kind, 'late:' || profile || '/' || rule, 1 FROM case_duties WHERE status = 'late'
) AS x GROUP BY org_id, month, kind, metric;

-- Open duties past due depend on the measuring date: they are read from
-- this partial index, whatever the rollup holds.
CREATE INDEX case_duties_open ON case_duties (org_id, month, due) WHERE status = 'open';
