CREATE SCHEMA IF NOT EXISTS "shared";

-- shared share_abroad, share_in_house, share_russia: computed once, read by shares, portfolio, types
CREATE TABLE "shared"."region_year" AS
WITH "amt" /* table amt: region by year */ AS (
  SELECT
    "region",
    "region_type",
    "year",
    CAST("amt_total" AS DOUBLE) AS "amt_total",
    CAST("amt_in_house" AS DOUBLE) AS "amt_in_house",
    CAST("amt_russia" AS DOUBLE) AS "amt_russia",
    CAST("amt_abroad" AS DOUBLE) AS "amt_abroad"
  FROM "input"."amt"
), "share_abroad" /* spec line 31: let share_abroad = amt_abroad / amt_total */ AS (
  SELECT
    *,
    "amt_abroad" / NULLIF("amt_total", 0) AS "share_abroad"
  FROM "amt"
), "share_in_house" /* spec line 29: let share_in_house = amt_in_house / amt_total */ AS (
  SELECT
    *,
    "amt_in_house" / NULLIF("amt_total", 0) AS "share_in_house"
  FROM "share_abroad"
), "share_russia" /* spec line 30: let share_russia = amt_russia / amt_total */ AS (
  SELECT
    *,
    "amt_russia" / NULLIF("amt_total", 0) AS "share_russia"
  FROM "share_in_house"
)
SELECT
  "region",
  "year",
  "region_type",
  "amt_abroad",
  "amt_in_house",
  "amt_russia",
  "amt_total",
  "share_abroad",
  "share_in_house",
  "share_russia"
FROM "share_russia";

-- shared portfolio_abroad, portfolio_in_house, portfolio_russia: computed once, read by portfolio, types
CREATE TABLE "shared"."region" AS
WITH "region_year" /* shared.region_year: region by year, computed earlier in this run */ AS (
  SELECT
    "region",
    "region_type",
    "year",
    "share_abroad",
    "share_in_house",
    "share_russia"
  FROM "shared"."region_year"
), "reductions_by_region" /* in one GROUP BY: portfolio_abroad, portfolio_in_house, portfolio_russia */ AS (
  SELECT
    "region",
    "region_type",
    AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "share_abroad" END) AS "portfolio_abroad",
    AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "share_in_house" END) AS "portfolio_in_house",
    AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "share_russia" END) AS "portfolio_russia"
  FROM "region_year"
  GROUP BY
    "region",
    "region_type"
), "portfolio_abroad" /* spec line 36: let portfolio_abroad = mean(share_abroad over year in portfolio_from..portfolio_to) */ AS (
  SELECT
    "region",
    "region_type",
    "portfolio_abroad"
  FROM "reductions_by_region"
), "portfolio_in_house" /* spec line 34: let portfolio_in_house = mean(share_in_house over year in portfolio_from..portfolio_to) */ AS (
  SELECT
    *
  FROM "portfolio_abroad"
  FULL JOIN (
    SELECT
      "region",
      "region_type",
      "portfolio_in_house"
    FROM "reductions_by_region"
  ) AS "portfolio_in_house"
    USING ("region", "region_type")
), "portfolio_russia" /* spec line 35: let portfolio_russia = mean(share_russia over year in portfolio_from..portfolio_to) */ AS (
  SELECT
    *
  FROM "portfolio_in_house"
  FULL JOIN (
    SELECT
      "region",
      "region_type",
      "portfolio_russia"
    FROM "reductions_by_region"
  ) AS "portfolio_russia"
    USING ("region", "region_type")
)
SELECT
  "region",
  "region_type",
  "portfolio_abroad",
  "portfolio_in_house",
  "portfolio_russia"
FROM "portfolio_russia";

-- shared type_abroad, type_in_house, type_russia, type_total: computed once, read by types
CREATE TABLE "shared"."region_type_year" AS
WITH "region_year" /* shared.region_year: region by year, computed earlier in this run */ AS (
  SELECT
    "region",
    "region_type",
    "year",
    "amt_abroad",
    "amt_in_house",
    "amt_russia",
    "amt_total"
  FROM "shared"."region_year"
), "region" /* shared.region: region, computed earlier in this run */ AS (
  SELECT
    "region",
    "region_type"
  FROM "shared"."region"
), "reductions_by_region_type_year" /* in one GROUP BY: type_total, sum_amt_abroad_by_region_type, sum_amt_in_house_by_region_type, sum_amt_russia_by_region_type */ AS (
  SELECT
    "region_type",
    "year",
    SUM("amt_total") AS "type_total",
    SUM("amt_abroad") AS "sum_amt_abroad_by_region_type",
    SUM("amt_in_house") AS "sum_amt_in_house_by_region_type",
    SUM("amt_russia") AS "sum_amt_russia_by_region_type"
  FROM "region_year"
  GROUP BY
    "region_type",
    "year"
), "type_total" /* spec line 40: let type_total = sum(amt_total by region_type) */ AS (
  SELECT
    "region_type",
    "year",
    "type_total"
  FROM "reductions_by_region_type_year"
), "sum_amt_abroad_by_region_type" /* spec line 43: sum(amt_abroad by region_type) in type_abroad */ AS (
  SELECT
    *
  FROM "type_total"
  FULL JOIN (
    SELECT
      "region_type",
      "year",
      "sum_amt_abroad_by_region_type"
    FROM "reductions_by_region_type_year"
  ) AS "sum_amt_abroad_by_region_type"
    USING ("region_type", "year")
), "type_abroad" /* spec line 43: let type_abroad = sum(amt_abroad by region_type) / type_total */ AS (
  SELECT
    *,
    "sum_amt_abroad_by_region_type" / NULLIF("type_total", 0) AS "type_abroad"
  FROM "sum_amt_abroad_by_region_type"
), "sum_amt_in_house_by_region_type" /* spec line 41: sum(amt_in_house by region_type) in type_in_house */ AS (
  SELECT
    *
  FROM "type_abroad"
  FULL JOIN (
    SELECT
      "region_type",
      "year",
      "sum_amt_in_house_by_region_type"
    FROM "reductions_by_region_type_year"
  ) AS "sum_amt_in_house_by_region_type"
    USING ("region_type", "year")
), "type_in_house" /* spec line 41: let type_in_house = sum(amt_in_house by region_type) / type_total */ AS (
  SELECT
    *,
    "sum_amt_in_house_by_region_type" / NULLIF("type_total", 0) AS "type_in_house"
  FROM "sum_amt_in_house_by_region_type"
), "sum_amt_russia_by_region_type" /* spec line 42: sum(amt_russia by region_type) in type_russia */ AS (
  SELECT
    *
  FROM "type_in_house"
  FULL JOIN (
    SELECT
      "region_type",
      "year",
      "sum_amt_russia_by_region_type"
    FROM "reductions_by_region_type_year"
  ) AS "sum_amt_russia_by_region_type"
    USING ("region_type", "year")
), "type_russia" /* spec line 42: let type_russia = sum(amt_russia by region_type) / type_total */ AS (
  SELECT
    *,
    "sum_amt_russia_by_region_type" / NULLIF("type_total", 0) AS "type_russia"
  FROM "sum_amt_russia_by_region_type"
)
SELECT
  "region_type",
  "year",
  "type_abroad",
  "type_in_house",
  "type_russia"
FROM "type_russia";

-- output shares
WITH "region_year" /* shared.region_year: region by year, computed earlier in this run */ AS (
  SELECT
    "region",
    "region_type",
    "year",
    "amt_total",
    "share_abroad",
    "share_in_house",
    "share_russia"
  FROM "shared"."region_year"
), "region" /* shared.region: region, computed earlier in this run */ AS (
  SELECT
    "region",
    "region_type"
  FROM "shared"."region"
)
SELECT
  "region",
  "year",
  "region_type",
  "amt_total",
  "share_in_house",
  "share_russia",
  "share_abroad"
FROM "region_year"
ORDER BY
  "region",
  "year";

-- output portfolio
WITH "region_year" /* shared.region_year: region by year, computed earlier in this run */ AS (
  SELECT
    "region",
    "region_type",
    "year"
  FROM "shared"."region_year"
), "region" /* shared.region: region, computed earlier in this run */ AS (
  SELECT
    "region",
    "region_type",
    "portfolio_abroad",
    "portfolio_in_house",
    "portfolio_russia"
  FROM "shared"."region"
)
SELECT
  "region",
  "region_type",
  "portfolio_in_house" AS "in_house",
  "portfolio_russia" AS "russia",
  "portfolio_abroad" AS "abroad"
FROM "region"
ORDER BY
  "region";

-- output types
WITH "region_year" /* shared.region_year: region by year, computed earlier in this run */ AS (
  SELECT
    "region",
    "region_type",
    "year"
  FROM "shared"."region_year"
), "region" /* shared.region: region, computed earlier in this run */ AS (
  SELECT
    "region",
    "region_type",
    "portfolio_abroad",
    "portfolio_in_house",
    "portfolio_russia"
  FROM "shared"."region"
), "region_type_year" /* shared.region_type_year: region_type by year, computed earlier in this run */ AS (
  SELECT
    "region_type",
    "year",
    "type_abroad",
    "type_in_house",
    "type_russia"
  FROM "shared"."region_type_year"
), "reductions_by_region_type" /* in one GROUP BY: in_house, russia, abroad */ AS (
  SELECT
    "region_type",
    AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "type_in_house" END) AS "in_house",
    AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "type_russia" END) AS "russia",
    AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "type_abroad" END) AS "abroad"
  FROM "region_type_year"
  GROUP BY
    "region_type"
), "in_house" /* spec line 58: output types: mean(type_in_house over year in portfolio_from..portfolio_to) as in_house */ AS (
  SELECT
    "region_type",
    "in_house"
  FROM "reductions_by_region_type"
), "russia" /* spec line 59: output types: mean(type_russia over year in portfolio_from..portfolio_to) as russia */ AS (
  SELECT
    *
  FROM "in_house"
  FULL JOIN (
    SELECT
      "region_type",
      "russia"
    FROM "reductions_by_region_type"
  ) AS "russia"
    USING ("region_type")
), "abroad" /* spec line 60: output types: mean(type_abroad over year in portfolio_from..portfolio_to) as abroad */ AS (
  SELECT
    *
  FROM "russia"
  FULL JOIN (
    SELECT
      "region_type",
      "abroad"
    FROM "reductions_by_region_type"
  ) AS "abroad"
    USING ("region_type")
), "reductions_by_region_type_2" /* in one GROUP BY: in_house_mean_of_regions, russia_mean_of_regions, abroad_mean_of_regions, regions */ AS (
  SELECT
    "region_type",
    AVG("portfolio_in_house") AS "in_house_mean_of_regions",
    AVG("portfolio_russia") AS "russia_mean_of_regions",
    AVG("portfolio_abroad") AS "abroad_mean_of_regions",
    COUNT("portfolio_abroad") AS "regions"
  FROM "region"
  GROUP BY
    "region_type"
), "in_house_mean_of_regions" /* spec line 61: output types: mean(portfolio_in_house by region_type) as in_house_mean_of_regions */ AS (
  SELECT
    *
  FROM "abroad"
  FULL JOIN (
    SELECT
      "region_type",
      "in_house_mean_of_regions"
    FROM "reductions_by_region_type_2"
  ) AS "in_house_mean_of_regions"
    USING ("region_type")
), "russia_mean_of_regions" /* spec line 62: output types: mean(portfolio_russia by region_type) as russia_mean_of_regions */ AS (
  SELECT
    *
  FROM "in_house_mean_of_regions"
  FULL JOIN (
    SELECT
      "region_type",
      "russia_mean_of_regions"
    FROM "reductions_by_region_type_2"
  ) AS "russia_mean_of_regions"
    USING ("region_type")
), "abroad_mean_of_regions" /* spec line 63: output types: mean(portfolio_abroad by region_type) as abroad_mean_of_regions */ AS (
  SELECT
    *
  FROM "russia_mean_of_regions"
  FULL JOIN (
    SELECT
      "region_type",
      "abroad_mean_of_regions"
    FROM "reductions_by_region_type_2"
  ) AS "abroad_mean_of_regions"
    USING ("region_type")
), "regions" /* spec line 64: output types: count(portfolio_abroad by region_type) as regions */ AS (
  SELECT
    *
  FROM "abroad_mean_of_regions"
  FULL JOIN (
    SELECT
      "region_type",
      "regions"
    FROM "reductions_by_region_type_2"
  ) AS "regions"
    USING ("region_type")
)
SELECT
  "region_type",
  "in_house",
  "russia",
  "abroad",
  "in_house_mean_of_regions",
  "russia_mean_of_regions",
  "abroad_mean_of_regions",
  "regions"
FROM "regions"
ORDER BY
  "region_type";

-- output national
WITH "region_year" /* shared.region_year: region by year, computed earlier in this run */ AS (
  SELECT
    "region",
    "year",
    "amt_abroad",
    "amt_in_house",
    "amt_russia",
    "amt_total"
  FROM "shared"."region_year"
), "reductions_by_year" /* in one GROUP BY: national_total, sum_amt_in_house_over_region, sum_amt_russia_over_region, sum_amt_abroad_over_region */ AS (
  SELECT
    "year",
    SUM("amt_total") AS "national_total",
    SUM("amt_in_house") AS "sum_amt_in_house_over_region",
    SUM("amt_russia") AS "sum_amt_russia_over_region",
    SUM("amt_abroad") AS "sum_amt_abroad_over_region"
  FROM "region_year"
  GROUP BY
    "year"
), "national_total" /* spec line 46: let national_total = sum(amt_total over region) */ AS (
  SELECT
    "year",
    "national_total"
  FROM "reductions_by_year"
), "sum_amt_in_house_over_region" /* spec line 68: sum(amt_in_house over region) in national_share_in_house */ AS (
  SELECT
    *
  FROM "national_total"
  FULL JOIN (
    SELECT
      "year",
      "sum_amt_in_house_over_region"
    FROM "reductions_by_year"
  ) AS "sum_amt_in_house_over_region"
    USING ("year")
), "national_share_in_house" /* spec line 68: output national: sum(amt_in_house over region) / national_total as share_in_house */ AS (
  SELECT
    *,
    "sum_amt_in_house_over_region" / NULLIF("national_total", 0) AS "national_share_in_house"
  FROM "sum_amt_in_house_over_region"
), "sum_amt_russia_over_region" /* spec line 69: sum(amt_russia over region) in national_share_russia */ AS (
  SELECT
    *
  FROM "national_share_in_house"
  FULL JOIN (
    SELECT
      "year",
      "sum_amt_russia_over_region"
    FROM "reductions_by_year"
  ) AS "sum_amt_russia_over_region"
    USING ("year")
), "national_share_russia" /* spec line 69: output national: sum(amt_russia over region) / national_total as share_russia */ AS (
  SELECT
    *,
    "sum_amt_russia_over_region" / NULLIF("national_total", 0) AS "national_share_russia"
  FROM "sum_amt_russia_over_region"
), "sum_amt_abroad_over_region" /* spec line 70: sum(amt_abroad over region) in national_share_abroad */ AS (
  SELECT
    *
  FROM "national_share_russia"
  FULL JOIN (
    SELECT
      "year",
      "sum_amt_abroad_over_region"
    FROM "reductions_by_year"
  ) AS "sum_amt_abroad_over_region"
    USING ("year")
), "national_share_abroad" /* spec line 70: output national: sum(amt_abroad over region) / national_total as share_abroad */ AS (
  SELECT
    *,
    "sum_amt_abroad_over_region" / NULLIF("national_total", 0) AS "national_share_abroad"
  FROM "sum_amt_abroad_over_region"
)
SELECT
  "year",
  "national_total" AS "amt_total",
  "national_share_in_house" AS "share_in_house",
  "national_share_russia" AS "share_russia",
  "national_share_abroad" AS "share_abroad"
FROM "national_share_abroad"
ORDER BY
  "year";

-- output growth
WITH "region_year" /* shared.region_year: region by year, computed earlier in this run */ AS (
  SELECT
    "region",
    "year",
    "amt_total"
  FROM "shared"."region_year"
), "from_year" /* spec line 73: output growth: growth_from as from_year */ AS (
  SELECT
    2011 AS "from_year"
), "to_year" /* spec line 73: output growth: growth_to as to_year */ AS (
  SELECT
    *,
    2018 AS "to_year"
  FROM "from_year"
), "national_total" /* spec line 46: let national_total = sum(amt_total over region) */ AS (
  SELECT
    "year",
    SUM("amt_total") AS "national_total"
  FROM "region_year"
  GROUP BY
    "year"
), "reductions_by_all" /* in one GROUP BY: amt_from, amt_to, national_growth */ AS (
  SELECT
    MAX(CASE WHEN "year" = 2011 THEN "national_total" END) AS "amt_from",
    MAX(CASE WHEN "year" = 2018 THEN "national_total" END) AS "amt_to",
    MAX(CASE WHEN "year" = 2018 THEN "national_total" END) / NULLIF(MAX(CASE WHEN "year" = 2011 THEN "national_total" END), 0) - 1 AS "national_growth"
  FROM "national_total"
), "amt_from" /* spec line 74: output growth: national_total at growth_from as amt_from */ AS (
  SELECT
    *
  FROM "to_year"
  CROSS JOIN (
    SELECT
      "amt_from"
    FROM "reductions_by_all"
  ) AS "amt_from"
), "amt_to" /* spec line 74: output growth: national_total at growth_to as amt_to */ AS (
  SELECT
    *
  FROM "amt_from"
  CROSS JOIN (
    SELECT
      "amt_to"
    FROM "reductions_by_all"
  ) AS "amt_to"
), "national_growth" /* spec line 47: let national_growth = national_total at growth_to / national_total at growth_from - 1 */ AS (
  SELECT
    *
  FROM "amt_to"
  CROSS JOIN (
    SELECT
      "national_growth"
    FROM "reductions_by_all"
  ) AS "national_growth"
), "growth_pct" /* spec line 75: output growth: round(100 * national_growth, 1) as growth_pct */ AS (
  SELECT
    *,
    ROUND(100 * "national_growth", 1) AS "growth_pct"
  FROM "national_growth"
)
SELECT
  "from_year",
  "to_year",
  "amt_from",
  "amt_to",
  "growth_pct"
FROM "growth_pct";
