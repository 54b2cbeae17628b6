/**
 * {@code arca schedule}: runs arca command lines on a timetable, in the foreground.
 *
 * <ul>
 *   <li><b>Config</b> ({@link ScheduleConfig}): a JSON file of jobs, each an arca command line with
 *       either an interval ({@code "every": "5m"}) or a daily window ({@code "daily": "01:00-03:00"}).</li>
 *   <li><b>State</b> ({@link ScheduleState}): per job the last runs, failures and missed runs, kept in
 *       the cache directory so {@code arca schedule status} can show them.</li>
 *   <li>{@link Scheduler} decides what is due, runs it, and records the outcome.</li>
 * </ul>
 */
package dev.arca.cli.schedule;
