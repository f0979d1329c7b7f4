# MT_CHECK_CFLAG(FLAG, ACTION-IF-OK, ACTION-IF-NOT)
# Try to compile an empty program with FLAG added to CFLAGS (and -Werror, so
# that compilers which merely warn about an unknown flag count as "no").
AC_DEFUN([MT_CHECK_CFLAG], [
  AS_VAR_PUSHDEF([mt_var], [mt_cv_cflag_$1])
  AC_CACHE_CHECK([whether $CC accepts $1], [mt_var], [
    mt_save_cflags=$CFLAGS
    CFLAGS="$CFLAGS -Werror $1"
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
                      [AS_VAR_SET([mt_var], [yes])], [AS_VAR_SET([mt_var], [no])])
    CFLAGS=$mt_save_cflags])
  AS_VAR_IF([mt_var], [yes], [$2], [$3])
  AS_VAR_POPDEF([mt_var])
])
