# -*- coding: utf-8 -*-
# Copyright: datafleet.hadoop contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
"""The service check's PySpark job: count the words of an HDFS file and write
`word<TAB>count` lines to an HDFS directory."""

from __future__ import absolute_import, division, print_function

import sys

from pyspark.sql import SparkSession


def main(source, target):
    # The application name comes from spark-submit --name.
    spark = SparkSession.builder.getOrCreate()
    lines = spark.sparkContext.textFile(source)
    counts = (lines.flatMap(lambda line: line.split())
              .map(lambda word: (word, 1))
              .reduceByKey(lambda a, b: a + b)
              .map(lambda pair: '%s\t%d' % pair))
    counts.coalesce(1).saveAsTextFile(target)
    spark.stop()


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
