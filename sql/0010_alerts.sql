-- Alerts: the outbox of what is due per company (written by the alert_outbox asset) and its delivery state
-- (owned by the drainer, bidradar.alerts.outbox). See docs/alerts.md.

-- One row per alert and transport. alert_key is stable (briefing:<company>:<date>, reminder:<company>:<notice>:D-1,
-- result:<company>:<notice>), so a rerun of the asset never makes a second alert. The asset only inserts keys it
-- has not written before; the status columns are the drainer's alone.
CREATE TABLE alert_outbox (
    alert_key VARCHAR(200) NOT NULL,
    transport VARCHAR(8) NOT NULL,          -- slack or email
    company_id VARCHAR(80) NOT NULL,
    kind VARCHAR(10) NOT NULL,              -- briefing, reminder or result
    alert_date DATE NOT NULL,               -- the KST day the alert became due
    destination VARCHAR(200) NOT NULL,      -- Slack channel (#name or id) or e-mail address
    plan VARCHAR(8) NOT NULL,               -- free or pro, as the profile said when the alert was made
    payload TEXT NOT NULL,                  -- JSON: everything the message shows, rendered at delivery
    created_at TIMESTAMP NOT NULL,          -- KST
    status VARCHAR(10) NOT NULL DEFAULT 'pending',  -- pending, sending, sent, retry, failed
    attempts INTEGER NOT NULL DEFAULT 0,
    claimed_at TIMESTAMP,                   -- UTC, when the last claim was committed (before the send)
    next_attempt_at TIMESTAMP,              -- UTC, a retry is not tried before
    parts_sent INTEGER NOT NULL DEFAULT 0,  -- Slack: messages confirmed (the parent, then thread replies)
    channel_id VARCHAR(40),                 -- Slack channel id answered by chat.postMessage
    message_ts VARCHAR(40),                 -- Slack ts of the parent message (thread replies hang under it)
    sent_at TIMESTAMP,                      -- UTC, when the last part was confirmed
    recovered INTEGER NOT NULL DEFAULT 0,   -- parts found in the channel's history after an ambiguous failure
    error TEXT,                             -- why it failed (or the last retryable error)
    PRIMARY KEY (alert_key, transport)
);
CREATE INDEX alert_outbox_status ON alert_outbox (status, company_id);

-- The notices of each alert (once per alert, whatever the transports), with what was shown: the next briefing
-- leaves out what an earlier one showed, and a result can say where the recommendation made then would have landed.
CREATE TABLE alert_items (
    alert_key VARCHAR(200) NOT NULL,
    notice_no VARCHAR(40) NOT NULL,
    company_id VARCHAR(80) NOT NULL,
    kind VARCHAR(10) NOT NULL,
    position INTEGER NOT NULL,              -- 1 = first shown
    item TEXT NOT NULL,                     -- JSON of the item as shown
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (alert_key, notice_no)
);
CREATE INDEX alert_items_company ON alert_items (company_id, kind);
