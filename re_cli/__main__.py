from re_cli.cli import main

main()
