CREATE SCHEMA IF NOT EXISTS "shared";

-- shared share_in_house_to_share_abroad: computed once, read by shares, portfolio, types, national, growth
CREATE TABLE "shared"."share_in_house_to_share_abroad" AS
WITH "amt" /* table amt: region by year */ AS (
  SELECT
    "region",
    "year",
    "region_type",
    CAST("amt_total" AS DOUBLE) AS "amt_total",
    CAST("amt_in_house" AS DOUBLE) AS "amt_in_house",
    CAST("amt_russia" AS DOUBLE) AS "amt_russia",
    CAST("amt_abroad" AS DOUBLE) AS "amt_abroad"
  FROM "input"."amt"
), "share_in_house_to_share_abroad" AS (
  SELECT
    *,
    "amt_in_house" / NULLIF("amt_total", 0) AS "share_in_house", /* amt_portfolio.idx:29 let share_in_house = amt_in_house / amt_total */
    "amt_russia" / NULLIF("amt_total", 0) AS "share_russia", /* amt_portfolio.idx:30 let share_russia = amt_russia / amt_total */
    "amt_abroad" / NULLIF("amt_total", 0) AS "share_abroad" /* amt_portfolio.idx:31 let share_abroad = amt_abroad / amt_total */
  FROM "amt"
)
SELECT
  "region",
  "year",
  "region_type",
  "amt_total",
  "amt_in_house",
  "amt_russia",
  "amt_abroad",
  "share_in_house",
  "share_russia",
  "share_abroad"
FROM "share_in_house_to_share_abroad";

-- shared portfolio_abroad: computed once, read by portfolio, types
CREATE TABLE "shared"."portfolio_abroad" AS
WITH "reductions_by_region" /* in one GROUP BY: portfolio_in_house, portfolio_russia, portfolio_abroad */ AS (
  SELECT
    "region",
    "region_type",
    AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "share_in_house" END) AS "portfolio_in_house", /* amt_portfolio.idx:34 let portfolio_in_house = mean(share_in_house over year in portfolio_from..portfolio_to) */
    AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "share_russia" END) AS "portfolio_russia", /* amt_portfolio.idx:35 let portfolio_russia = mean(share_russia over year in portfolio_from..portfolio_to) */
    AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "share_abroad" END) AS "portfolio_abroad" /* amt_portfolio.idx:36 let portfolio_abroad = mean(share_abroad over year in portfolio_from..portfolio_to) */
  FROM "shared"."share_in_house_to_share_abroad"
  GROUP BY
    "region",
    "region_type"
), "portfolio_in_house" /* amt_portfolio.idx:34 let portfolio_in_house = mean(share_in_house over year in portfolio_from..portfolio_to) */ AS (
  SELECT
    "region",
    "region_type",
    "portfolio_in_house"
  FROM "reductions_by_region"
), "portfolio_russia" /* amt_portfolio.idx:35 let portfolio_russia = mean(share_russia over year in portfolio_from..portfolio_to) */ AS (
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
), "portfolio_abroad" /* amt_portfolio.idx:36 let portfolio_abroad = mean(share_abroad over year in portfolio_from..portfolio_to) */ AS (
  SELECT
    *
  FROM "portfolio_russia"
  FULL JOIN (
    SELECT
      "region",
      "region_type",
      "portfolio_abroad"
    FROM "reductions_by_region"
  ) AS "portfolio_abroad"
    USING ("region", "region_type")
)
SELECT
  "region",
  "region_type",
  "portfolio_in_house",
  "portfolio_russia",
  "portfolio_abroad"
FROM "portfolio_abroad";

-- shared reductions_by_region_type_year: computed once, read by types
CREATE TABLE "shared"."reductions_by_region_type_year" AS
WITH "reductions_by_region_type_year" /* in one GROUP BY: type_total, sum_amt_in_house_by_region_type, sum_amt_russia_by_region_type, sum_amt_abroad_by_region_type */ AS (
  SELECT
    "region_type",
    "year",
    SUM("amt_total") AS "type_total", /* amt_portfolio.idx:40 let type_total = sum(amt_total by region_type) */
    SUM("amt_in_house") AS "sum_amt_in_house_by_region_type", /* amt_portfolio.idx:41 sum(amt_in_house by region_type), in type_in_house */
    SUM("amt_russia") AS "sum_amt_russia_by_region_type", /* amt_portfolio.idx:42 sum(amt_russia by region_type), in type_russia */
    SUM("amt_abroad") AS "sum_amt_abroad_by_region_type" /* amt_portfolio.idx:43 sum(amt_abroad by region_type), in type_abroad */
  FROM "shared"."share_in_house_to_share_abroad"
  GROUP BY
    "region_type",
    "year"
)
SELECT
  "region_type",
  "year",
  "type_total",
  "sum_amt_in_house_by_region_type",
  "sum_amt_russia_by_region_type",
  "sum_amt_abroad_by_region_type"
FROM "reductions_by_region_type_year";

-- shared type_in_house: computed once, read by types
CREATE TABLE "shared"."type_in_house" AS
WITH "type_total" /* amt_portfolio.idx:40 let type_total = sum(amt_total by region_type) */ AS (
  SELECT
    "region_type",
    "year",
    "type_total"
  FROM "shared"."reductions_by_region_type_year"
), "sum_amt_in_house_by_region_type" /* amt_portfolio.idx:41 sum(amt_in_house by region_type), in type_in_house */ AS (
  SELECT
    *
  FROM "type_total"
  FULL JOIN (
    SELECT
      "region_type",
      "year",
      "sum_amt_in_house_by_region_type"
    FROM "shared"."reductions_by_region_type_year"
  ) AS "sum_amt_in_house_by_region_type"
    USING ("region_type", "year")
), "type_in_house" AS (
  SELECT
    *,
    "sum_amt_in_house_by_region_type" / NULLIF("type_total", 0) AS "type_in_house" /* amt_portfolio.idx:41 let type_in_house = sum(amt_in_house by region_type) / type_total */
  FROM "sum_amt_in_house_by_region_type"
)
SELECT
  "region_type",
  "year",
  "type_total",
  "type_in_house"
FROM "type_in_house";

-- shared type_russia: computed once, read by types
CREATE TABLE "shared"."type_russia" AS
WITH "sum_amt_russia_by_region_type" /* amt_portfolio.idx:42 sum(amt_russia by region_type), in type_russia */ AS (
  SELECT
    *
  FROM "shared"."type_in_house"
  FULL JOIN (
    SELECT
      "region_type",
      "year",
      "sum_amt_russia_by_region_type"
    FROM "shared"."reductions_by_region_type_year"
  ) AS "sum_amt_russia_by_region_type"
    USING ("region_type", "year")
), "type_russia" AS (
  SELECT
    *,
    "sum_amt_russia_by_region_type" / NULLIF("type_total", 0) AS "type_russia" /* amt_portfolio.idx:42 let type_russia = sum(amt_russia by region_type) / type_total */
  FROM "sum_amt_russia_by_region_type"
)
SELECT
  "region_type",
  "year",
  "type_total",
  "type_russia"
FROM "type_russia";

-- shared type_abroad: computed once, read by types
CREATE TABLE "shared"."type_abroad" AS
WITH "sum_amt_abroad_by_region_type" /* amt_portfolio.idx:43 sum(amt_abroad by region_type), in type_abroad */ AS (
  SELECT
    *
  FROM "shared"."type_russia"
  FULL JOIN (
    SELECT
      "region_type",
      "year",
      "sum_amt_abroad_by_region_type"
    FROM "shared"."reductions_by_region_type_year"
  ) AS "sum_amt_abroad_by_region_type"
    USING ("region_type", "year")
), "type_abroad" AS (
  SELECT
    *,
    "sum_amt_abroad_by_region_type" / NULLIF("type_total", 0) AS "type_abroad" /* amt_portfolio.idx:43 let type_abroad = sum(amt_abroad by region_type) / type_total */
  FROM "sum_amt_abroad_by_region_type"
)
SELECT
  "region_type",
  "year",
  "type_abroad"
FROM "type_abroad";

-- shared reductions_by_year: computed once, read by national, growth
CREATE TABLE "shared"."reductions_by_year" AS
WITH "reductions_by_year" /* in one GROUP BY: national_total, sum_amt_in_house_over_region, sum_amt_russia_over_region, sum_amt_abroad_over_region */ AS (
  SELECT
    "year",
    SUM("amt_total") AS "national_total", /* amt_portfolio.idx:46 let national_total = sum(amt_total over region) */
    SUM("amt_in_house") AS "sum_amt_in_house_over_region", /* amt_portfolio.idx:68 sum(amt_in_house over region), in national_share_in_house */
    SUM("amt_russia") AS "sum_amt_russia_over_region", /* amt_portfolio.idx:69 sum(amt_russia over region), in national_share_russia */
    SUM("amt_abroad") AS "sum_amt_abroad_over_region" /* amt_portfolio.idx:70 sum(amt_abroad over region), in national_share_abroad */
  FROM "shared"."share_in_house_to_share_abroad"
  GROUP BY
    "year"
)
SELECT
  "year",
  "national_total",
  "sum_amt_in_house_over_region",
  "sum_amt_russia_over_region",
  "sum_amt_abroad_over_region"
FROM "reductions_by_year";

-- shared national_total: computed once, read by national, growth
CREATE TABLE "shared"."national_total" AS
WITH "national_total" /* amt_portfolio.idx:46 let national_total = sum(amt_total over region) */ AS (
  SELECT
    "year",
    "national_total"
  FROM "shared"."reductions_by_year"
)
SELECT
  "year",
  "national_total"
FROM "national_total";

-- output shares
SELECT
  "region",
  "year",
  "region_type",
  "amt_total",
  "share_in_house",
  "share_russia",
  "share_abroad"
FROM "shared"."share_in_house_to_share_abroad"
ORDER BY
  "region",
  "year";

-- output portfolio
SELECT
  "region",
  "region_type",
  "portfolio_in_house" AS "in_house",
  "portfolio_russia" AS "russia",
  "portfolio_abroad" AS "abroad"
FROM "shared"."portfolio_abroad"
ORDER BY
  "region";

-- output types
WITH "in_house" AS (
  SELECT
    "region_type",
    AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "type_in_house" END) AS "in_house" /* amt_portfolio.idx:58 output types: mean(type_in_house over year in portfolio_from..portfolio_to) as in_house */
  FROM "shared"."type_in_house"
  GROUP BY
    "region_type"
), "russia" AS (
  SELECT
    *
  FROM "in_house"
  FULL JOIN (
    SELECT
      "region_type",
      AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "type_russia" END) AS "russia" /* amt_portfolio.idx:59 output types: mean(type_russia over year in portfolio_from..portfolio_to) as russia */
    FROM "shared"."type_russia"
    GROUP BY
      "region_type"
  ) AS "russia"
    USING ("region_type")
), "abroad" AS (
  SELECT
    *
  FROM "russia"
  FULL JOIN (
    SELECT
      "region_type",
      AVG(CASE WHEN "year" BETWEEN 2014 AND 2017 THEN "type_abroad" END) AS "abroad" /* amt_portfolio.idx:60 output types: mean(type_abroad over year in portfolio_from..portfolio_to) as abroad */
    FROM "shared"."type_abroad"
    GROUP BY
      "region_type"
  ) AS "abroad"
    USING ("region_type")
), "reductions_by_region_type" /* in one GROUP BY: in_house_mean_of_regions, russia_mean_of_regions, abroad_mean_of_regions, regions */ AS (
  SELECT
    "region_type",
    AVG("portfolio_in_house") AS "in_house_mean_of_regions", /* amt_portfolio.idx:61 output types: mean(portfolio_in_house by region_type) as in_house_mean_of_regions */
    AVG("portfolio_russia") AS "russia_mean_of_regions", /* amt_portfolio.idx:62 output types: mean(portfolio_russia by region_type) as russia_mean_of_regions */
    AVG("portfolio_abroad") AS "abroad_mean_of_regions", /* amt_portfolio.idx:63 output types: mean(portfolio_abroad by region_type) as abroad_mean_of_regions */
    COUNT("portfolio_abroad") AS "regions" /* amt_portfolio.idx:64 output types: count(portfolio_abroad by region_type) as regions */
  FROM "shared"."portfolio_abroad"
  GROUP BY
    "region_type"
), "in_house_mean_of_regions" /* amt_portfolio.idx:61 output types: mean(portfolio_in_house by region_type) as in_house_mean_of_regions */ AS (
  SELECT
    *
  FROM "abroad"
  FULL JOIN (
    SELECT
      "region_type",
      "in_house_mean_of_regions"
    FROM "reductions_by_region_type"
  ) AS "in_house_mean_of_regions"
    USING ("region_type")
), "russia_mean_of_regions" /* amt_portfolio.idx:62 output types: mean(portfolio_russia by region_type) as russia_mean_of_regions */ AS (
  SELECT
    *
  FROM "in_house_mean_of_regions"
  FULL JOIN (
    SELECT
      "region_type",
      "russia_mean_of_regions"
    FROM "reductions_by_region_type"
  ) AS "russia_mean_of_regions"
    USING ("region_type")
), "abroad_mean_of_regions" /* amt_portfolio.idx:63 output types: mean(portfolio_abroad by region_type) as abroad_mean_of_regions */ AS (
  SELECT
    *
  FROM "russia_mean_of_regions"
  FULL JOIN (
    SELECT
      "region_type",
      "abroad_mean_of_regions"
    FROM "reductions_by_region_type"
  ) AS "abroad_mean_of_regions"
    USING ("region_type")
), "regions" /* amt_portfolio.idx:64 output types: count(portfolio_abroad by region_type) as regions */ AS (
  SELECT
    *
  FROM "abroad_mean_of_regions"
  FULL JOIN (
    SELECT
      "region_type",
      "regions"
    FROM "reductions_by_region_type"
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
WITH "sum_amt_in_house_over_region" /* amt_portfolio.idx:68 sum(amt_in_house over region), in national_share_in_house */ AS (
  SELECT
    *
  FROM "shared"."national_total"
  FULL JOIN (
    SELECT
      "year",
      "sum_amt_in_house_over_region"
    FROM "shared"."reductions_by_year"
  ) AS "sum_amt_in_house_over_region"
    USING ("year")
), "national_share_in_house" AS (
  SELECT
    *,
    "sum_amt_in_house_over_region" / NULLIF("national_total", 0) AS "national_share_in_house" /* amt_portfolio.idx:68 output national: sum(amt_in_house over region) / national_total as share_in_house */
  FROM "sum_amt_in_house_over_region"
), "sum_amt_russia_over_region" /* amt_portfolio.idx:69 sum(amt_russia over region), in national_share_russia */ AS (
  SELECT
    *
  FROM "national_share_in_house"
  FULL JOIN (
    SELECT
      "year",
      "sum_amt_russia_over_region"
    FROM "shared"."reductions_by_year"
  ) AS "sum_amt_russia_over_region"
    USING ("year")
), "national_share_russia" AS (
  SELECT
    *,
    "sum_amt_russia_over_region" / NULLIF("national_total", 0) AS "national_share_russia" /* amt_portfolio.idx:69 output national: sum(amt_russia over region) / national_total as share_russia */
  FROM "sum_amt_russia_over_region"
), "sum_amt_abroad_over_region" /* amt_portfolio.idx:70 sum(amt_abroad over region), in national_share_abroad */ AS (
  SELECT
    *
  FROM "national_share_russia"
  FULL JOIN (
    SELECT
      "year",
      "sum_amt_abroad_over_region"
    FROM "shared"."reductions_by_year"
  ) AS "sum_amt_abroad_over_region"
    USING ("year")
), "national_share_abroad" AS (
  SELECT
    *,
    "sum_amt_abroad_over_region" / NULLIF("national_total", 0) AS "national_share_abroad" /* amt_portfolio.idx:70 output national: sum(amt_abroad over region) / national_total as share_abroad */
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
WITH "from_year" AS (
  SELECT
    2011 /* growth_from */ AS "from_year" /* amt_portfolio.idx:73 output growth: growth_from as from_year */
), "to_year" AS (
  SELECT
    *,
    2018 /* growth_to */ AS "to_year" /* amt_portfolio.idx:73 output growth: growth_to as to_year */
  FROM "from_year"
), "reductions_by_all" /* in one GROUP BY: amt_from, amt_to, national_growth */ AS (
  SELECT
    MAX(CASE WHEN "year" = 2011 THEN "national_total" END) AS "amt_from", /* amt_portfolio.idx:74 output growth: national_total at growth_from as amt_from */
    MAX(CASE WHEN "year" = 2018 THEN "national_total" END) AS "amt_to", /* amt_portfolio.idx:74 output growth: national_total at growth_to as amt_to */
    MAX(CASE WHEN "year" = 2018 THEN "national_total" END) / NULLIF(MAX(CASE WHEN "year" = 2011 THEN "national_total" END), 0) - 1 AS "national_growth" /* amt_portfolio.idx:47 let national_growth = national_total at growth_to / national_total at growth_from - 1 */
  FROM "shared"."national_total"
), "amt_from" /* amt_portfolio.idx:74 output growth: national_total at growth_from as amt_from */ AS (
  SELECT
    *
  FROM "to_year"
  CROSS JOIN (
    SELECT
      "amt_from"
    FROM "reductions_by_all"
  ) AS "amt_from"
), "amt_to" /* amt_portfolio.idx:74 output growth: national_total at growth_to as amt_to */ AS (
  SELECT
    *
  FROM "amt_from"
  CROSS JOIN (
    SELECT
      "amt_to"
    FROM "reductions_by_all"
  ) AS "amt_to"
), "national_growth" /* amt_portfolio.idx:47 let national_growth = national_total at growth_to / national_total at growth_from - 1 */ AS (
  SELECT
    *
  FROM "amt_to"
  CROSS JOIN (
    SELECT
      "national_growth"
    FROM "reductions_by_all"
  ) AS "national_growth"
), "growth_pct" AS (
  SELECT
    *,
    ROUND(100 * "national_growth", 1) AS "growth_pct" /* amt_portfolio.idx:75 output growth: round(100 * national_growth, 1) as growth_pct */
  FROM "national_growth"
)
SELECT
  "from_year",
  "to_year",
  "amt_from",
  "amt_to",
  "growth_pct"
FROM "growth_pct";

-- missing values skipped by mean(share_in_house over year in portfolio_from..portfolio_to), mean(share_russia over year in portfolio_from..portfolio_to), mean(share_abroad over year in portfolio_from..portfolio_to)
SELECT
  COUNT(*) AS "cells_0",
  COUNT(*) - COUNT("share_in_house") AS "missing_0",
  COUNT(*) AS "cells_1",
  COUNT(*) - COUNT("share_russia") AS "missing_1",
  COUNT(*) AS "cells_2",
  COUNT(*) - COUNT("share_abroad") AS "missing_2"
FROM "shared"."share_in_house_to_share_abroad"
WHERE
  "year" BETWEEN 2014 AND 2017;

-- missing values skipped by sum(amt_total by region_type), sum(amt_in_house by region_type), sum(amt_russia by region_type), sum(amt_abroad by region_type), sum(amt_total over region), sum(amt_in_house over region), sum(amt_russia over region), sum(amt_abroad over region)
SELECT
  COUNT(*) AS "cells_0",
  COUNT(*) - COUNT("amt_total") AS "missing_0",
  COUNT(*) AS "cells_1",
  COUNT(*) - COUNT("amt_in_house") AS "missing_1",
  COUNT(*) AS "cells_2",
  COUNT(*) - COUNT("amt_russia") AS "missing_2",
  COUNT(*) AS "cells_3",
  COUNT(*) - COUNT("amt_abroad") AS "missing_3",
  COUNT(*) AS "cells_4",
  COUNT(*) - COUNT("amt_total") AS "missing_4",
  COUNT(*) AS "cells_5",
  COUNT(*) - COUNT("amt_in_house") AS "missing_5",
  COUNT(*) AS "cells_6",
  COUNT(*) - COUNT("amt_russia") AS "missing_6",
  COUNT(*) AS "cells_7",
  COUNT(*) - COUNT("amt_abroad") AS "missing_7"
FROM "shared"."share_in_house_to_share_abroad";

-- missing values skipped by mean(type_in_house over year in portfolio_from..portfolio_to)
SELECT
  COUNT(*) AS "cells_0",
  COUNT(*) - COUNT("type_in_house") AS "missing_0"
FROM "shared"."type_in_house"
WHERE
  "year" BETWEEN 2014 AND 2017;

-- missing values skipped by mean(type_russia over year in portfolio_from..portfolio_to)
SELECT
  COUNT(*) AS "cells_0",
  COUNT(*) - COUNT("type_russia") AS "missing_0"
FROM "shared"."type_russia"
WHERE
  "year" BETWEEN 2014 AND 2017;

-- missing values skipped by mean(type_abroad over year in portfolio_from..portfolio_to)
SELECT
  COUNT(*) AS "cells_0",
  COUNT(*) - COUNT("type_abroad") AS "missing_0"
FROM "shared"."type_abroad"
WHERE
  "year" BETWEEN 2014 AND 2017;

-- missing values skipped by mean(portfolio_in_house by region_type), mean(portfolio_russia by region_type), mean(portfolio_abroad by region_type), count(portfolio_abroad by region_type)
SELECT
  COUNT(*) AS "cells_0",
  COUNT(*) - COUNT("portfolio_in_house") AS "missing_0",
  COUNT(*) AS "cells_1",
  COUNT(*) - COUNT("portfolio_russia") AS "missing_1",
  COUNT(*) AS "cells_2",
  COUNT(*) - COUNT("portfolio_abroad") AS "missing_2",
  COUNT(*) AS "cells_3",
  COUNT(*) - COUNT("portfolio_abroad") AS "missing_3"
FROM "shared"."portfolio_abroad";
