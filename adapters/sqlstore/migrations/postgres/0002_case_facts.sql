-- Per-case facts of complaints and disputes, written in the same
-- transaction as the case record, so that the casework indicators are sums
-- in the database rather than scans of case bodies. They hold nothing about
-- a complainant or party (domain.md §4). Booleans are 0/1 (SMALLINT); dates DATE;
-- month is the registration month YYYY-MM.
CREATE TABLE case_facts (
    record_id     TEXT PRIMARY KEY REFERENCES records (id),
    kind          TEXT NOT NULL CHECK (kind IN ('complaint', 'dispute')),
    org_id        TEXT NOT NULL, -- the holding organisation, as records.org_id
    registered    DATE NOT NULL,
    month         TEXT NOT NULL,
    channel       TEXT NOT NULL,
    matter_type   TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,
    handled       DATE,          -- NULL while the case is in the backlog
    within_limit  SMALLINT NOT NULL CHECK (within_limit IN (0, 1)),
    handling_days INTEGER NOT NULL,
    rating        TEXT NOT NULL DEFAULT '',
    mediated      SMALLINT NOT NULL CHECK (mediated IN (0, 1)),
    agreement     SMALLINT NOT NULL CHECK (agreement IN (0, 1)),
    performed     SMALLINT NOT NULL CHECK (performed IN (0, 1)),
    confirmed     SMALLINT NOT NULL CHECK (confirmed IN (0, 1))
);
CREATE INDEX case_facts_org_month ON case_facts (org_id, month);
CREATE INDEX case_facts_month ON case_facts (month, org_id);

-- One row per duty deadline of a case, with the case's filter columns
-- repeated so that on-time rates need no join.
CREATE TABLE case_duties (
    record_id   TEXT NOT NULL REFERENCES case_facts (record_id),
    n           INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    org_id      TEXT NOT NULL,
    registered  DATE NOT NULL,
    month       TEXT NOT NULL,
    channel     TEXT NOT NULL,
    matter_type TEXT NOT NULL DEFAULT '',
    profile     TEXT NOT NULL,
    rule        TEXT NOT NULL,
    due         DATE NOT NULL,
    status      TEXT NOT NULL,
    closed_on   DATE,
    PRIMARY KEY (record_id, n)
);
CREATE INDEX case_duties_org_month ON case_duties (org_id, month);
CREATE INDEX case_duties_month ON case_duties (month, org_id);
