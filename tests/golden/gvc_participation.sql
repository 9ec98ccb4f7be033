-- output participation
WITH "tiva" /* table tiva: country by year */ AS (
  SELECT
    "country",
    "year",
    CAST("gross_exports" AS DOUBLE) AS "gross_exports",
    CAST("foreign_va" AS DOUBLE) AS "foreign_va",
    CAST("domestic_va_in_partner_exports" AS DOUBLE) AS "domestic_va_in_partner_exports"
  FROM "input"."tiva"
), "backward" /* spec line 27: let backward = foreign_va / gross_exports */ AS (
  SELECT
    *,
    "foreign_va" / NULLIF("gross_exports", 0) AS "backward"
  FROM "tiva"
), "forward" /* spec line 29: let forward = domestic_va_in_partner_exports / gross_exports */ AS (
  SELECT
    *,
    "domestic_va_in_partner_exports" / NULLIF("gross_exports", 0) AS "forward"
  FROM "backward"
), "participation" /* spec line 30: let participation = backward + forward */ AS (
  SELECT
    *,
    "backward" + "forward" AS "participation"
  FROM "forward"
), "position" /* spec line 33: let position = ln(1 + forward) - ln(1 + backward) */ AS (
  SELECT
    *,
    LN(CASE WHEN 1 + "forward" > 0 THEN 1 + "forward" END) - LN(CASE WHEN 1 + "backward" > 0 THEN 1 + "backward" END) AS "position"
  FROM "participation"
)
SELECT
  "country",
  "year",
  "backward",
  "forward",
  "participation",
  "position"
FROM "position"
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
), "machinery_index" /* spec line 37: let machinery_index = 100 * machinery_imports / machinery_imports at base_year */ AS (
  SELECT
    *,
    100 * "machinery_imports" / NULLIF(
      MAX(CASE WHEN "year" = 2016 THEN "machinery_imports" END) OVER (PARTITION BY "country"),
      0
    ) AS "machinery_index"
  FROM "imports"
), "machinery_share" /* spec line 38: let machinery_share = 100 * machinery_imports / total_imports */ AS (
  SELECT
    *,
    100 * "machinery_imports" / NULLIF("total_imports", 0) AS "machinery_share"
  FROM "machinery_index"
)
SELECT
  "country",
  "year",
  "machinery_imports",
  "machinery_index",
  "machinery_share"
FROM "machinery_share"
ORDER BY
  "country",
  "year";
