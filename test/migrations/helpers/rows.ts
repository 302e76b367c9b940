/** Rows for the fixture schema, so traces on it read, rewrite and fail as they would on a live table. */

/** 50 authors and 20,000 books. */
export const LIBRARY_ROWS = `INSERT INTO library_author (name, email, bio) SELECT 'a' || g, 'a' || g || '@example.com', '' FROM generate_series(1, 50) g;
INSERT INTO library_book (title, isbn, pages, price, author_id) SELECT 'b' || g, lpad(g::text, 13, '0'), g, 10, 1 + g % 50 FROM generate_series(1, 20000) g;
ANALYZE;`

/** 1,000 reviews, 100 orders with 2,000 lines, and 500 legacy rows with unique, non-null codes. */
export const MORE_ROWS = `INSERT INTO library_review (body, stars, book_id, editor_id) SELECT 'r' || g, 1 + g % 5, 1 + g % 20000, CASE WHEN g % 2 = 0 THEN 1 + g % 50 END FROM generate_series(1, 1000) g;
INSERT INTO shop_order (total, status, note, customer_email, created) SELECT g, 'paid', 'n', 'c@x', now() FROM generate_series(1, 100) g;
INSERT INTO shop_orderline (quantity, order_id, book_id) SELECT 1 + g % 7, 1 + g % 100, 1 + g % 20000 FROM generate_series(1, 2000) g;
INSERT INTO shop_legacy (id, code) SELECT g, 'L' || g FROM generate_series(1, 500) g;
ANALYZE;`
