-- output participation
WITH "tiva" /* table tiva: country by year */ AS (
  SELECT
    "country",
    "year",
    CAST("gross_exports" AS DOUBLE) AS "gross_exports",
    CAST("foreign_va" AS DOUBLE) AS "foreign_va",
    CAST("domestic_va_in_partner_exports" AS DOUBLE) AS "domestic_va_in_partner_exports"
  FROM "input"."tiva"
), "backward_and_forward" AS (
  SELECT
    *,
    "foreign_va" / NULLIF("gross_exports", 0) AS "backward", /* gvc_participation.idx:27 let backward = foreign_va / gross_exports */
    "domestic_va_in_partner_exports" / NULLIF("gross_exports", 0) AS "forward" /* gvc_participation.idx:29 let forward = domestic_va_in_partner_exports / gross_exports */
  FROM "tiva"
), "participation_and_position" AS (
  SELECT
    *,
    "backward" + "forward" AS "participation", /* gvc_participation.idx:30 let participation = backward + forward */
    LN(NULLIF(GREATEST(1 + "forward", 0), 0)) - LN(NULLIF(GREATEST(1 + "backward", 0), 0)) AS "position" /* gvc_participation.idx:33 let position = ln(1 + forward) - ln(1 + backward) */
  FROM "backward_and_forward"
)
SELECT
  "country",
  "year",
  "backward",
  "forward",
  "participation",
  "position"
FROM "participation_and_position"
ORDER BY
  "country",
  "year";

-- output machinery
WITH "imports" /* table imports: country by year */ AS (
  SELECT
    "country",
    "year",
    CAST("machinery_imports" AS DOUBLE) AS "machinery_imports",
    CAST("total_imports" AS DOUBLE) AS "total_imports"
  FROM "input"."imports"
), "machinery_index_and_machinery_share" AS (
  SELECT
    *,
    100 * "machinery_imports" / NULLIF(
      MAX(CASE WHEN "year" = 2016 THEN "machinery_imports" END) OVER (PARTITION BY "country"),
      0
    ) AS "machinery_index", /* gvc_participation.idx:37 let machinery_index = 100 * machinery_imports / machinery_imports at base_year */
    100 * "machinery_imports" / NULLIF("total_imports", 0) AS "machinery_share" /* gvc_participation.idx:38 let machinery_share = 100 * machinery_imports / total_imports */
  FROM "imports"
)
SELECT
  "country",
  "year",
  "machinery_imports",
  "machinery_index",
  "machinery_share"
FROM "machinery_index_and_machinery_share"
ORDER BY
  "country",
  "year";
