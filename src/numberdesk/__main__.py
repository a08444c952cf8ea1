from numberdesk.cli.app import main

main()
