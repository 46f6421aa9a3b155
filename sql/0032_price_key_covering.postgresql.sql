-- The price order's index covers the list's filters (category, cancelled, close time, price), so "open goods, dearest
-- first" picks its page by an index-only scan and reads 51 rows, instead of reading every closed notice's row on the
-- way (9,400 buffers and 20-90 ms at 1,000,000 notices: open notices are a few percent of them). The list reads it
-- through a subquery of notice numbers (serving/api/queries.py: notice_list_query).
DROP INDEX bid_notices_price_key;
CREATE INDEX bid_notices_price_key ON bid_notices ((coalesce(estimated_price, -1)), notice_no)
    INCLUDE (estimated_price, category, is_cancelled, bid_close_at);
