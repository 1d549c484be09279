// The type matrix: one table per built-in type family, with the values that break naive
// copies (and naive comparisons). Shared by the copy and validation tests.
export const TYPES_SQL = String.raw`
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TYPE pair AS (a integer, b text);
CREATE TYPE floatrange AS RANGE (subtype = float8);

CREATE TABLE numbers (id int PRIMARY KEY, n numeric, n2 numeric(12,4), r real, d double precision,
  m money, s smallint, i integer, b bigint);
INSERT INTO numbers VALUES
  (1, 'NaN', 1.5, 'NaN', 'NaN', 0, -32768, -2147483648, -9223372036854775808),
  (2, 'Infinity', -99999999.9999, 'Infinity', 'Infinity', '92233720368547758.07', 32767, 2147483647, 9223372036854775807),
  (3, '-Infinity', 0, '-Infinity', '-Infinity', '-92233720368547758.08', 0, 0, 0),
  (4, 123456789012345678901234567890.123456789012345678901234567890, 0.0001, 3.4028235e38, 1.7976931348623157e308, 1.23, 1, 1, 1),
  (5, -0.000000000000000000000000000001, NULL, 1.4e-45, 5e-324, NULL, NULL, NULL, NULL),
  (6, 1e-300, 2, -0, '-0', -0.01, 2, 2, 2),
  (7, NULL, NULL, 0.1, 0.1, NULL, NULL, NULL, NULL);

CREATE TABLE bits (id int PRIMARY KEY, b bit(5), vb varbit, vb10 bit varying(10));
INSERT INTO bits VALUES (1, B'10101', B'', B'1'), (2, B'00000', B'1111111111111111111111111111111111111', NULL),
  (3, NULL, NULL, B'0101010101');

CREATE TABLE bytes (id int PRIMARY KEY, b bytea);
INSERT INTO bytes VALUES (1, '\x00'), (2, '\x0001ff00'), (3, ''), (4, NULL), (5, decode(repeat('00ff5c0a', 50000), 'hex'));

CREATE TABLE texts (id int PRIMARY KEY, t text, v varchar(10), c char(5), n name, ch "char");
INSERT INTO texts VALUES
  (1, E'tab\there\nnew line\r\ncarriage', 'a\b', 'x', 'name', 'a'),
  (2, E'back\\slash \\N not null', E'\\.', '', 'N', 'b'),
  (3, 'quote''s "double" 🙂 ünïcödé e' || chr(769) || ' 中文', '🙂🙂🙂', 'ab  ', repeat('n', 63), ' '),
  (4, E'control \x01\x02\x1f and \x7f', '', ' ', '', NULL),
  (5, '', NULL, NULL, NULL, NULL),
  (6, NULL, 'null', 'NULL', 'NULL', 'N'),
  (7, repeat('long text ', 100000), 'x', 'y', 'z', 'z');

CREATE TABLE arrays (id int PRIMARY KEY, a int[], b text[], c numeric[], d date[], e bytea[], f int[]);
INSERT INTO arrays VALUES
  (1, '{{1,NULL},{3,4}}', '{{"a",NULL},{"c","d\"e"}}', '{NaN,1.5,NULL}', '{infinity,2024-02-03}', '{"\\x00",NULL}', '[0:1]={1,2}'),
  (2, '{}', '{"",NULL,"NULL","{}","a,b"}', '{}', NULL, '{}', '{{{1},{2}},{{3},{4}}}'),
  (3, NULL, NULL, NULL, '{}', NULL, '{NULL}');

CREATE TABLE docs (id int PRIMARY KEY, j json, jb jsonb, x xml);
INSERT INTO docs VALUES
  (1, '{"a": 1,   "a": 2, "b": [1.50, "x"]}', '{"a": 1, "b": [1.50, "\u00e9"], "c": null}', '<a b="1">x &amp; y</a>'),
  (2, '"just a string"', '[]', 'text<b/>more'),
  (3, 'null', 'null', NULL),
  (4, NULL, '{"deep": {"deeper": [{"x": 1e100}]}}', '<?xml version="1.0"?><r/>');

CREATE TABLE nets (id int PRIMARY KEY, u uuid, i inet, c cidr, m macaddr, m8 macaddr8);
INSERT INTO nets VALUES
  (1, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.1.5/24', '10.0.0.0/8', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05'),
  (2, '00000000-0000-0000-0000-000000000000', '::1', '2001:db8::/32', 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00:00:00'),
  (3, NULL, '2001:db8::1/128', NULL, NULL, NULL);

CREATE TABLE times (id int PRIMARY KEY, d date, t time, ttz timetz, ts timestamp, tstz timestamptz, iv interval,
  ts0 timestamp(0), t3 time(3));
INSERT INTO times VALUES
  (1, 'infinity', '00:00', '00:00+00', 'infinity', 'infinity', '1 year 2 mons -3 days 04:05:06.789', 'infinity', '01:02:03.123'),
  (2, '-infinity', '24:00:00', '23:59:59.999999+15:59', '-infinity', '-infinity', '-178000000 years', '-infinity', '23:59:59.999'),
  (3, '4713-01-01 BC', '12:34:56.789012', '12:34:56.789012-08', '4713-01-01 00:00:00 BC', '4713-01-01 00:00:00+00 BC',
      '1 microsecond', '2024-02-03 04:05:06', '00:00:00.001'),
  (4, '5874897-12-31', '23:59:59.999999', '00:00-15:59', '294276-12-31 23:59:59.999999', '294276-12-31 23:59:59.999999+00',
      '-1 day +01:00', '2000-01-01', NULL),
  (5, '2024-02-03', NULL, NULL, '2024-02-03 04:05:06.000001', '2024-02-03 04:05:06.000001+05:30', '0', NULL, NULL);

CREATE TABLE ranges (id int PRIMARY KEY, ir int4range, lr int8range, nr numrange, tr tstzrange, dr daterange,
  fr floatrange, im int4multirange, dm datemultirange);
INSERT INTO ranges VALUES
  (1, '[1,10)', '(,)', '[1.5,2.5]', '[2024-01-01 00:00+00,infinity)', '[2024-01-01,2024-02-01)', '[1.5,2.5)', '{[1,3),[5,7)}', '{}'),
  (2, 'empty', 'empty', '(,0]', 'empty', '(,)', 'empty', '{}', '{[2024-01-01,infinity)}'),
  (3, NULL, '[-9223372036854775808,9223372036854775807)', NULL, NULL, NULL, '(-Infinity,Infinity)', NULL, NULL);

CREATE TABLE geo (id int PRIMARY KEY, p point, l line, s lseg, b box, pa path, pg polygon, c circle);
INSERT INTO geo VALUES
  (1, '(1.5,-2.25)', '{1,-1,0}', '[(0,0),(1,1)]', '(2,2),(0,0)', '[(0,0),(1,1),(2,0)]', '((0,0),(1,1),(2,0))', '<(0,0),1.5>'),
  (2, '(NaN,Infinity)', '{0,1,-1e300}', '[(1e-300,0),(0,0)]', '(0,0),(0,0)', '((0,0),(1,1))', '((0,0))', '<(1,1),0>'),
  (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL);

CREATE TABLE search (id int PRIMARY KEY, v tsvector, q tsquery);
INSERT INTO search VALUES
  (1, to_tsvector('english', 'The quick brown foxes jumped'), to_tsquery('english', 'quick & !slow | fox:*')),
  (2, 'a:1A,2B b:3 ''with space'':4C', '''a'' <-> ''b'' <2> !''c'''),
  (3, '', NULL);

CREATE TABLE user_types (id int PRIMARY KEY, m mood, d posint, fr floatrange, ident int GENERATED ALWAYS AS IDENTITY,
  twice int GENERATED ALWAYS AS (id * 2) STORED, flag boolean, o oid);
-- identity values that differ from what the destination's own sequence would generate
INSERT INTO user_types (id, m, d, fr, ident, flag, o) OVERRIDING SYSTEM VALUE VALUES
  (1, 'happy', 1, '[1,2)', 1000, true, 4294967295), (2, 'sad', 2147483647, NULL, -5, false, 0),
  (3, NULL, NULL, 'empty', 7, NULL, NULL);

CREATE TABLE composites (id int PRIMARY KEY, c pair, ca pair[], ma mood[], da posint[]);
INSERT INTO composites VALUES
  (1, ROW(1, 'a, "b"'), ARRAY[ROW(1, 'x')::pair, NULL, ROW(NULL, NULL)::pair], '{happy,NULL,sad}', '{1,2}'),
  (2, NULL, '{}', '{}', NULL),
  (3, ROW(NULL, ''), NULL, NULL, '{}');

-- aclitem has no binary send/receive: this table must travel as text
CREATE TABLE no_binary (id int PRIMARY KEY, acl aclitem, d date, ts timestamptz);
INSERT INTO no_binary VALUES (1, 'postgres=arwdDxt/postgres', '2024-02-03', '2024-02-03 10:00:00+00'),
  (2, '=r/postgres', '1999-12-31', '1999-12-31 23:59:59.999999+00');
`

/** The matrix's tables, each with an integer primary key `id`. */
export const TABLES = ['numbers', 'bits', 'bytes', 'texts', 'arrays', 'docs', 'nets', 'times', 'ranges', 'geo', 'search', 'user_types', 'composites', 'no_binary']
