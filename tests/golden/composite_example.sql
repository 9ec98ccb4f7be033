CREATE SCHEMA IF NOT EXISTS "shared";

-- shared patents_pc_to_co2_pc: computed once, read by scores, indicators
CREATE TABLE "shared"."patents_pc_to_co2_pc" AS
WITH "regions" /* table regions: region by year */ AS (
  SELECT
    "region",
    "year",
    "macro_region",
    CAST("population" AS DOUBLE) AS "population",
    CAST("gdp" AS DOUBLE) AS "gdp",
    CAST("patents" AS DOUBLE) AS "patents",
    CAST("rd_spend" AS DOUBLE) AS "rd_spend",
    CAST("unemployment" AS DOUBLE) AS "unemployment",
    CAST("co2" AS DOUBLE) AS "co2",
    CAST("renewables" AS DOUBLE) AS "renewables"
  FROM "input"."regions"
), "patents_pc_to_co2_pc" AS (
  SELECT
    *,
    "patents" / NULLIF("population", 0) * 100000 AS "patents_pc", /* composite_example.idx:24 let patents_pc = patents / population * 100000 */
    "rd_spend" / NULLIF("gdp", 0) * 100 AS "rd_intensity", /* composite_example.idx:25 let rd_intensity = rd_spend / gdp * 100 */
    "gdp" / NULLIF("population", 0) * 1000000 AS "gdp_pc", /* composite_example.idx:26 let gdp_pc = gdp / population * 1000000 */
    "co2" / NULLIF("population", 0) * 1000 AS "co2_pc" /* composite_example.idx:27 let co2_pc = co2 / population * 1000 */
  FROM "regions"
)
SELECT
  "region",
  "year",
  "macro_region",
  "unemployment",
  "renewables",
  "patents_pc",
  "rd_intensity",
  "gdp_pc",
  "co2_pc"
FROM "patents_pc_to_co2_pc";

-- shared treat_score_value: computed once, read by scores, indicators
CREATE TABLE "shared"."treat_score_value" AS
WITH "score_inputs" /* the arguments of score, one row per application */ AS (
  SELECT
    "region",
    "year",
    "macro_region",
    "slots"."score_input",
    CASE "slots"."score_input"
      WHEN 'patents_pc'
      THEN "patents_pc"
      WHEN 'rd_intensity'
      THEN "rd_intensity"
      WHEN 'gdp_pc'
      THEN "gdp_pc"
      WHEN 'renewables'
      THEN "renewables"
    END AS "score_value"
  FROM "shared"."patents_pc_to_co2_pc"
  CROSS JOIN (VALUES
    ('patents_pc'),
    ('rd_intensity'),
    ('gdp_pc'),
    ('renewables')) AS "slots"("score_input")
), "impute_score_value" AS (
  SELECT
    *,
    COALESCE(
      COALESCE(
        "score_value",
        LAST_VALUE("score_value" IGNORE NULLS) OVER "per_region_score_input_along_year_before" + (
          FIRST_VALUE("score_value" IGNORE NULLS) OVER "per_region_score_input_along_year_after" - LAST_VALUE("score_value" IGNORE NULLS) OVER "per_region_score_input_along_year_before"
        ) / (
          FIRST_VALUE(CASE WHEN NOT "score_value" IS NULL THEN "year" END IGNORE NULLS) OVER "per_region_score_input_along_year_after" - LAST_VALUE(CASE WHEN NOT "score_value" IS NULL THEN "year" END IGNORE NULLS) OVER "per_region_score_input_along_year_before"
        ) * (
          "year" - LAST_VALUE(CASE WHEN NOT "score_value" IS NULL THEN "year" END IGNORE NULLS) OVER "per_region_score_input_along_year_before"
        )
      ),
      MEDIAN("score_value") OVER (PARTITION BY "macro_region", "score_input", "year")
    ) AS "impute_score_value" /* composite_example.idx:34 impute(x), in treat_score_value */
  FROM "score_inputs"
  WINDOW "per_region_score_input_along_year_before" AS (
    PARTITION BY "region", "score_input"
    ORDER BY "year"
    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
  ), "per_region_score_input_along_year_after" AS (
    PARTITION BY "region", "score_input"
    ORDER BY "year"
    ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
  )
), "treat_impute_score_value_values" AS (
  SELECT
    "score_input",
    "year",
    "impute_score_value" AS "value",
    DENSE_RANK() OVER (PARTITION BY "score_input", "year" ORDER BY "impute_score_value" DESC) AS "from_top",
    DENSE_RANK() OVER (PARTITION BY "score_input", "year" ORDER BY "impute_score_value" ASC) AS "from_bottom"
  FROM "impute_score_value"
  WHERE
    NOT "impute_score_value" IS NULL
  GROUP BY
    "score_input",
    "year",
    "impute_score_value"
), "treat_impute_score_value_states" AS (
  SELECT
    "t"."score_input",
    "t"."year",
    "t"."from_top" - 1 AS "tops",
    "b"."from_bottom" - 1 AS "bottoms",
    "b"."value" AS "lo",
    "t"."value" AS "hi"
  FROM "treat_impute_score_value_values" AS "t"
  INNER JOIN "treat_impute_score_value_values" AS "b"
    ON "t"."score_input" = "b"."score_input" AND "t"."year" = "b"."year"
  WHERE
    "t"."from_top" + "b"."from_bottom" <= 7
), "treat_impute_score_value_statistics" AS (
  SELECT
    "s"."score_input",
    "s"."year",
    "s"."tops",
    "s"."bottoms",
    "s"."lo",
    "s"."hi",
    SKEWNESS(LEAST(GREATEST("v"."impute_score_value", "s"."lo"), "s"."hi")) AS "skew",
    KURTOSIS(LEAST(GREATEST("v"."impute_score_value", "s"."lo"), "s"."hi")) AS "kurt"
  FROM "treat_impute_score_value_states" AS "s"
  INNER JOIN "impute_score_value" AS "v"
    ON "s"."score_input" = "v"."score_input" AND "s"."year" = "v"."year"
  WHERE
    NOT "v"."impute_score_value" IS NULL
  GROUP BY
    "s"."score_input",
    "s"."year",
    "s"."tops",
    "s"."bottoms",
    "s"."lo",
    "s"."hi"
), "treat_impute_score_value_moves" AS (
  SELECT
    *,
    CASE
      WHEN (
        ABS("skew") >= 2 AND "kurt" >= 3.5
      ) AND "skew" > 0
      THEN 1
      WHEN ABS("skew") >= 2 AND "kurt" >= 3.5
      THEN -1
      ELSE 0
    END AS "move"
  FROM "treat_impute_score_value_statistics"
), "treat_impute_score_value" /* treat(impute(0)): the bounds of each cell */ AS (
  SELECT
    "s0"."score_input" AS "score_input",
    "s0"."year" AS "year",
    "s5"."lo" AS "treat_impute_score_value_lo",
    "s5"."hi" AS "treat_impute_score_value_hi",
    CASE WHEN "s5"."move" <> 0 THEN 1 ELSE 0 END AS "treat_impute_score_value_failing",
    "s0"."lo" AS "treat_impute_score_value_low",
    "s0"."hi" AS "treat_impute_score_value_high"
  FROM "treat_impute_score_value_moves" AS "s0"
  INNER JOIN "treat_impute_score_value_moves" AS "s1"
    ON "s0"."score_input" = "s1"."score_input"
    AND "s0"."year" = "s1"."year"
    AND "s1"."tops" = "s0"."tops" + CASE WHEN "s0"."move" = 1 THEN 1 ELSE 0 END
    AND "s1"."bottoms" = "s0"."bottoms" + CASE WHEN "s0"."move" = -1 THEN 1 ELSE 0 END
  INNER JOIN "treat_impute_score_value_moves" AS "s2"
    ON "s1"."score_input" = "s2"."score_input"
    AND "s1"."year" = "s2"."year"
    AND "s2"."tops" = "s1"."tops" + CASE WHEN "s1"."move" = 1 THEN 1 ELSE 0 END
    AND "s2"."bottoms" = "s1"."bottoms" + CASE WHEN "s1"."move" = -1 THEN 1 ELSE 0 END
  INNER JOIN "treat_impute_score_value_moves" AS "s3"
    ON "s2"."score_input" = "s3"."score_input"
    AND "s2"."year" = "s3"."year"
    AND "s3"."tops" = "s2"."tops" + CASE WHEN "s2"."move" = 1 THEN 1 ELSE 0 END
    AND "s3"."bottoms" = "s2"."bottoms" + CASE WHEN "s2"."move" = -1 THEN 1 ELSE 0 END
  INNER JOIN "treat_impute_score_value_moves" AS "s4"
    ON "s3"."score_input" = "s4"."score_input"
    AND "s3"."year" = "s4"."year"
    AND "s4"."tops" = "s3"."tops" + CASE WHEN "s3"."move" = 1 THEN 1 ELSE 0 END
    AND "s4"."bottoms" = "s3"."bottoms" + CASE WHEN "s3"."move" = -1 THEN 1 ELSE 0 END
  INNER JOIN "treat_impute_score_value_moves" AS "s5"
    ON "s4"."score_input" = "s5"."score_input"
    AND "s4"."year" = "s5"."year"
    AND "s5"."tops" = "s4"."tops" + CASE WHEN "s4"."move" = 1 THEN 1 ELSE 0 END
    AND "s5"."bottoms" = "s4"."bottoms" + CASE WHEN "s4"."move" = -1 THEN 1 ELSE 0 END
  WHERE
    "s0"."tops" = 0 AND "s0"."bottoms" = 0
), "treat_score_value" AS (
  SELECT
    "impute_score_value".*,
    CASE
      WHEN NOT "impute_score_value"."impute_score_value" IS NULL
      THEN CASE
        WHEN "treat_impute_score_value"."treat_impute_score_value_failing" = 1
        THEN LN(
          NULLIF(
            GREATEST(
              "impute_score_value"."impute_score_value" - "treat_impute_score_value"."treat_impute_score_value_low" + 0.01 * (
                "treat_impute_score_value"."treat_impute_score_value_high" - "treat_impute_score_value"."treat_impute_score_value_low"
              ),
              0
            ),
            0
          )
        )
        ELSE LEAST(
          GREATEST(
            "impute_score_value"."impute_score_value",
            "treat_impute_score_value"."treat_impute_score_value_lo"
          ),
          "treat_impute_score_value"."treat_impute_score_value_hi"
        )
      END
    END AS "treat_score_value" /* composite_example.idx:34 treat(impute(x)), in score */
  FROM "impute_score_value"
  LEFT JOIN "treat_impute_score_value"
    USING ("score_input", "year")
)
SELECT
  "region",
  "score_input",
  "year",
  "macro_region",
  "score_value",
  "treat_score_value"
FROM "treat_score_value";

-- shared treat_score_worse_value: computed once, read by scores, indicators
CREATE TABLE "shared"."treat_score_worse_value" AS
WITH "score_worse_inputs" /* the arguments of score_worse, one row per application */ AS (
  SELECT
    "region",
    "year",
    "macro_region",
    "slots"."score_worse_input",
    CASE "slots"."score_worse_input"
      WHEN 'unemployment'
      THEN "unemployment"
      WHEN 'co2_pc'
      THEN "co2_pc"
    END AS "score_worse_value"
  FROM "shared"."patents_pc_to_co2_pc"
  CROSS JOIN (VALUES
    ('unemployment'),
    ('co2_pc')) AS "slots"("score_worse_input")
), "impute_score_worse_value" AS (
  SELECT
    *,
    COALESCE(
      COALESCE(
        "score_worse_value",
        LAST_VALUE("score_worse_value" IGNORE NULLS) OVER "per_region_score_worse_input_along_year_before" + (
          FIRST_VALUE("score_worse_value" IGNORE NULLS) OVER "per_region_score_worse_input_along_year_after" - LAST_VALUE("score_worse_value" IGNORE NULLS) OVER "per_region_score_worse_input_along_year_before"
        ) / (
          FIRST_VALUE(CASE WHEN NOT "score_worse_value" IS NULL THEN "year" END IGNORE NULLS) OVER "per_region_score_worse_input_along_year_after" - LAST_VALUE(CASE WHEN NOT "score_worse_value" IS NULL THEN "year" END IGNORE NULLS) OVER "per_region_score_worse_input_along_year_before"
        ) * (
          "year" - LAST_VALUE(CASE WHEN NOT "score_worse_value" IS NULL THEN "year" END IGNORE NULLS) OVER "per_region_score_worse_input_along_year_before"
        )
      ),
      MEDIAN("score_worse_value") OVER (PARTITION BY "macro_region", "score_worse_input", "year")
    ) AS "impute_score_worse_value" /* composite_example.idx:35 impute(x), in treat_score_worse_value */
  FROM "score_worse_inputs"
  WINDOW "per_region_score_worse_input_along_year_before" AS (
    PARTITION BY "region", "score_worse_input"
    ORDER BY "year"
    ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
  ), "per_region_score_worse_input_along_year_after" AS (
    PARTITION BY "region", "score_worse_input"
    ORDER BY "year"
    ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING
  )
), "treat_impute_score_worse_value_values" AS (
  SELECT
    "score_worse_input",
    "year",
    "impute_score_worse_value" AS "value",
    DENSE_RANK() OVER (PARTITION BY "score_worse_input", "year" ORDER BY "impute_score_worse_value" DESC) AS "from_top",
    DENSE_RANK() OVER (PARTITION BY "score_worse_input", "year" ORDER BY "impute_score_worse_value" ASC) AS "from_bottom"
  FROM "impute_score_worse_value"
  WHERE
    NOT "impute_score_worse_value" IS NULL
  GROUP BY
    "score_worse_input",
    "year",
    "impute_score_worse_value"
), "treat_impute_score_worse_value_states" AS (
  SELECT
    "t"."score_worse_input",
    "t"."year",
    "t"."from_top" - 1 AS "tops",
    "b"."from_bottom" - 1 AS "bottoms",
    "b"."value" AS "lo",
    "t"."value" AS "hi"
  FROM "treat_impute_score_worse_value_values" AS "t"
  INNER JOIN "treat_impute_score_worse_value_values" AS "b"
    ON "t"."score_worse_input" = "b"."score_worse_input" AND "t"."year" = "b"."year"
  WHERE
    "t"."from_top" + "b"."from_bottom" <= 7
), "treat_impute_score_worse_value_statistics" AS (
  SELECT
    "s"."score_worse_input",
    "s"."year",
    "s"."tops",
    "s"."bottoms",
    "s"."lo",
    "s"."hi",
    SKEWNESS(LEAST(GREATEST("v"."impute_score_worse_value", "s"."lo"), "s"."hi")) AS "skew",
    KURTOSIS(LEAST(GREATEST("v"."impute_score_worse_value", "s"."lo"), "s"."hi")) AS "kurt"
  FROM "treat_impute_score_worse_value_states" AS "s"
  INNER JOIN "impute_score_worse_value" AS "v"
    ON "s"."score_worse_input" = "v"."score_worse_input" AND "s"."year" = "v"."year"
  WHERE
    NOT "v"."impute_score_worse_value" IS NULL
  GROUP BY
    "s"."score_worse_input",
    "s"."year",
    "s"."tops",
    "s"."bottoms",
    "s"."lo",
    "s"."hi"
), "treat_impute_score_worse_value_moves" AS (
  SELECT
    *,
    CASE
      WHEN (
        ABS("skew") >= 2 AND "kurt" >= 3.5
      ) AND "skew" > 0
      THEN 1
      WHEN ABS("skew") >= 2 AND "kurt" >= 3.5
      THEN -1
      ELSE 0
    END AS "move"
  FROM "treat_impute_score_worse_value_statistics"
), "treat_impute_score_worse_value" /* treat(impute(0)): the bounds of each cell */ AS (
  SELECT
    "s0"."score_worse_input" AS "score_worse_input",
    "s0"."year" AS "year",
    "s5"."lo" AS "treat_impute_score_worse_value_lo",
    "s5"."hi" AS "treat_impute_score_worse_value_hi",
    CASE WHEN "s5"."move" <> 0 THEN 1 ELSE 0 END AS "treat_impute_score_worse_value_failing",
    "s0"."lo" AS "treat_impute_score_worse_value_low",
    "s0"."hi" AS "treat_impute_score_worse_value_high"
  FROM "treat_impute_score_worse_value_moves" AS "s0"
  INNER JOIN "treat_impute_score_worse_value_moves" AS "s1"
    ON "s0"."score_worse_input" = "s1"."score_worse_input"
    AND "s0"."year" = "s1"."year"
    AND "s1"."tops" = "s0"."tops" + CASE WHEN "s0"."move" = 1 THEN 1 ELSE 0 END
    AND "s1"."bottoms" = "s0"."bottoms" + CASE WHEN "s0"."move" = -1 THEN 1 ELSE 0 END
  INNER JOIN "treat_impute_score_worse_value_moves" AS "s2"
    ON "s1"."score_worse_input" = "s2"."score_worse_input"
    AND "s1"."year" = "s2"."year"
    AND "s2"."tops" = "s1"."tops" + CASE WHEN "s1"."move" = 1 THEN 1 ELSE 0 END
    AND "s2"."bottoms" = "s1"."bottoms" + CASE WHEN "s1"."move" = -1 THEN 1 ELSE 0 END
  INNER JOIN "treat_impute_score_worse_value_moves" AS "s3"
    ON "s2"."score_worse_input" = "s3"."score_worse_input"
    AND "s2"."year" = "s3"."year"
    AND "s3"."tops" = "s2"."tops" + CASE WHEN "s2"."move" = 1 THEN 1 ELSE 0 END
    AND "s3"."bottoms" = "s2"."bottoms" + CASE WHEN "s2"."move" = -1 THEN 1 ELSE 0 END
  INNER JOIN "treat_impute_score_worse_value_moves" AS "s4"
    ON "s3"."score_worse_input" = "s4"."score_worse_input"
    AND "s3"."year" = "s4"."year"
    AND "s4"."tops" = "s3"."tops" + CASE WHEN "s3"."move" = 1 THEN 1 ELSE 0 END
    AND "s4"."bottoms" = "s3"."bottoms" + CASE WHEN "s3"."move" = -1 THEN 1 ELSE 0 END
  INNER JOIN "treat_impute_score_worse_value_moves" AS "s5"
    ON "s4"."score_worse_input" = "s5"."score_worse_input"
    AND "s4"."year" = "s5"."year"
    AND "s5"."tops" = "s4"."tops" + CASE WHEN "s4"."move" = 1 THEN 1 ELSE 0 END
    AND "s5"."bottoms" = "s4"."bottoms" + CASE WHEN "s4"."move" = -1 THEN 1 ELSE 0 END
  WHERE
    "s0"."tops" = 0 AND "s0"."bottoms" = 0
), "treat_score_worse_value" AS (
  SELECT
    "impute_score_worse_value".*,
    CASE
      WHEN NOT "impute_score_worse_value"."impute_score_worse_value" IS NULL
      THEN CASE
        WHEN "treat_impute_score_worse_value"."treat_impute_score_worse_value_failing" = 1
        THEN LN(
          NULLIF(
            GREATEST(
              "impute_score_worse_value"."impute_score_worse_value" - "treat_impute_score_worse_value"."treat_impute_score_worse_value_low" + 0.01 * (
                "treat_impute_score_worse_value"."treat_impute_score_worse_value_high" - "treat_impute_score_worse_value"."treat_impute_score_worse_value_low"
              ),
              0
            ),
            0
          )
        )
        ELSE LEAST(
          GREATEST(
            "impute_score_worse_value"."impute_score_worse_value",
            "treat_impute_score_worse_value"."treat_impute_score_worse_value_lo"
          ),
          "treat_impute_score_worse_value"."treat_impute_score_worse_value_hi"
        )
      END
    END AS "treat_score_worse_value" /* composite_example.idx:35 treat(impute(x)), in score_worse */
  FROM "impute_score_worse_value"
  LEFT JOIN "treat_impute_score_worse_value"
    USING ("score_worse_input", "year")
)
SELECT
  "region",
  "score_worse_input",
  "year",
  "macro_region",
  "score_worse_value",
  "treat_score_worse_value"
FROM "treat_score_worse_value";

-- shared s_patents_to_s_renewables: computed once, read by scores, indicators
CREATE TABLE "shared"."s_patents_to_s_renewables" AS
WITH "score" AS (
  SELECT
    *,
    1 + (
      "treat_score_value" - MIN("treat_score_value") OVER "per_score_input_year"
    ) / NULLIF(
      MAX("treat_score_value") OVER "per_score_input_year" - MIN("treat_score_value") OVER "per_score_input_year",
      0
    ) * (
      100 - 1
    ) AS "score" /* composite_example.idx:34 def score(x) = minmax(treat(impute(x)), 1, 100) */
  FROM "shared"."treat_score_value"
  WINDOW "per_score_input_year" AS (PARTITION BY "score_input", "year")
), "score_results" /* each application of score in its own column */ AS (
  SELECT
    "region",
    "year",
    "macro_region",
    MAX(CASE WHEN "score_input" = 'patents_pc' THEN "score" END) AS "score_patents_pc", /* score(patents_pc) */
    MAX(CASE WHEN "score_input" = 'rd_intensity' THEN "score" END) AS "score_rd_intensity", /* score(rd_intensity) */
    MAX(CASE WHEN "score_input" = 'gdp_pc' THEN "score" END) AS "score_gdp_pc", /* score(gdp_pc) */
    MAX(CASE WHEN "score_input" = 'renewables' THEN "score" END) AS "score_renewables" /* score(renewables) */
  FROM "score"
  GROUP BY
    "region",
    "year",
    "macro_region"
), "score_worse" AS (
  SELECT
    *,
    1 + (
      -"treat_score_worse_value" - MIN(-"treat_score_worse_value") OVER "per_score_worse_input_year"
    ) / NULLIF(
      MAX(-"treat_score_worse_value") OVER "per_score_worse_input_year" - MIN(-"treat_score_worse_value") OVER "per_score_worse_input_year",
      0
    ) * (
      100 - 1
    ) AS "score_worse" /* composite_example.idx:35 def score_worse(x) = minmax(treat(impute(x)), 1, 100 direction -1) */
  FROM "shared"."treat_score_worse_value"
  WINDOW "per_score_worse_input_year" AS (PARTITION BY "score_worse_input", "year")
), "score_worse_results" /* each application of score_worse in its own column */ AS (
  SELECT
    "region",
    "year",
    "macro_region",
    MAX(CASE WHEN "score_worse_input" = 'unemployment' THEN "score_worse" END) AS "score_worse_unemployment", /* score_worse(unemployment) */
    MAX(CASE WHEN "score_worse_input" = 'co2_pc' THEN "score_worse" END) AS "score_worse_co2_pc" /* score_worse(co2_pc) */
  FROM "score_worse"
  GROUP BY
    "region",
    "year",
    "macro_region"
), "s_patents_to_s_renewables" AS (
  SELECT
    "patents_pc_to_co2_pc".*,
    "score_results"."score_patents_pc" AS "s_patents", /* composite_example.idx:37 let s_patents = score(patents_pc) */
    "score_results"."score_rd_intensity" AS "s_rd", /* composite_example.idx:38 let s_rd = score(rd_intensity) */
    "score_results"."score_gdp_pc" AS "s_gdp", /* composite_example.idx:39 let s_gdp = score(gdp_pc) */
    "score_worse_results"."score_worse_unemployment" AS "s_unemployment", /* composite_example.idx:40 let s_unemployment = score_worse(unemployment) */
    "score_worse_results"."score_worse_co2_pc" AS "s_co2", /* composite_example.idx:41 let s_co2 = score_worse(co2_pc) */
    "score_results"."score_renewables" AS "s_renewables" /* composite_example.idx:42 let s_renewables = score(renewables) */
  FROM "shared"."patents_pc_to_co2_pc"
  LEFT JOIN "score_results"
    USING ("region", "year")
  LEFT JOIN "score_worse_results"
    USING ("region", "year")
)
SELECT
  "region",
  "year",
  "macro_region",
  "s_patents",
  "s_rd",
  "s_gdp",
  "s_unemployment",
  "s_co2",
  "s_renewables"
FROM "s_patents_to_s_renewables";

-- output scores
WITH "innovation_to_environment" AS (
  SELECT
    *,
    (
      COALESCE("s_patents", 0) + COALESCE("s_rd", 0)
    ) / NULLIF(
      CASE WHEN "s_patents" IS NULL THEN 0 ELSE 1 END + CASE WHEN "s_rd" IS NULL THEN 0 ELSE 1 END,
      0
    ) AS "innovation", /* composite_example.idx:46 let innovation = mean(s_patents, s_rd present 1) */
    (
      COALESCE("s_gdp", 0) + COALESCE("s_unemployment", 0)
    ) / NULLIF(
      CASE WHEN "s_gdp" IS NULL THEN 0 ELSE 1 END + CASE WHEN "s_unemployment" IS NULL THEN 0 ELSE 1 END,
      0
    ) AS "economy", /* composite_example.idx:47 let economy = mean(s_gdp, s_unemployment present 1) */
    (
      COALESCE("s_co2", 0) + COALESCE("s_renewables", 0)
    ) / NULLIF(
      CASE WHEN "s_co2" IS NULL THEN 0 ELSE 1 END + CASE WHEN "s_renewables" IS NULL THEN 0 ELSE 1 END,
      0
    ) AS "environment" /* composite_example.idx:48 let environment = mean(s_co2, s_renewables present 1) */
  FROM "shared"."s_patents_to_s_renewables"
), "index" AS (
  SELECT
    *,
    EXP(
      (
        0.4 /* w_innovation */ * LN(CASE WHEN "innovation" > 0 THEN "innovation" END) + 0.3 /* w_economy */ * LN(CASE WHEN "economy" > 0 THEN "economy" END) + 0.3 /* w_environment */ * LN(CASE WHEN "environment" > 0 THEN "environment" END)
      ) / NULLIF(0.4 /* w_innovation */ + 0.3 /* w_economy */ + 0.3 /* w_environment */, 0)
    ) AS "index" /* composite_example.idx:49 let index = geomean(innovation: w_innovation, economy: w_economy, environment: w_environment) */
  FROM "innovation_to_environment"
), "place" AS (
  SELECT
    *,
    CASE
      WHEN "index" IS NULL
      THEN NULL
      ELSE RANK() OVER (PARTITION BY "year" ORDER BY "index" DESC)
    END AS "place" /* composite_example.idx:53 output scores: rank(index desc) as place */
  FROM "index"
)
SELECT
  "region",
  "year",
  "macro_region",
  "innovation",
  "economy",
  "environment",
  "index",
  "place"
FROM "place"
ORDER BY
  "region",
  "year";

-- output indicators
SELECT
  "region",
  "year",
  "s_patents",
  "s_rd",
  "s_gdp",
  "s_unemployment",
  "s_co2",
  "s_renewables"
FROM "shared"."s_patents_to_s_renewables"
ORDER BY
  "region",
  "year";

-- missing values skipped by median(x by macro_region), min(treat(impute(x)) over region), max(treat(impute(x)) over region)
SELECT
  "score_input",
  COUNT(*) AS "cells_0",
  COUNT(*) - COUNT("score_value") AS "missing_0",
  COUNT(*) AS "cells_1",
  COUNT(*) - COUNT("treat_score_value") AS "missing_1",
  COUNT(*) AS "cells_2",
  COUNT(*) - COUNT("treat_score_value") AS "missing_2"
FROM "shared"."treat_score_value"
GROUP BY
  "score_input";

-- missing values skipped by median(x by macro_region), min(treat(impute(x)) over region), max(treat(impute(x)) over region)
SELECT
  "score_worse_input",
  COUNT(*) AS "cells_0",
  COUNT(*) - COUNT("score_worse_value") AS "missing_0",
  COUNT(*) AS "cells_1",
  COUNT(*) - COUNT(-"treat_score_worse_value") AS "missing_1",
  COUNT(*) AS "cells_2",
  COUNT(*) - COUNT(-"treat_score_worse_value") AS "missing_2"
FROM "shared"."treat_score_worse_value"
GROUP BY
  "score_worse_input";
