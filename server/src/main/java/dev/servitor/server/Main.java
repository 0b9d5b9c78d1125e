package dev.servitor.server; public final class Main { public static void main(String[] a) {} }
