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
  "year"
